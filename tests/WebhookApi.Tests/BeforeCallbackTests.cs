using System.Net;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.AddSubscribersRequested;
using CleanChat.Application.Callbacks.CreateOfficialAccountRequested;
using CleanChat.Application.Callbacks.SendMessageRequested;
using CleanChat.Domain.Callbacks;
using CleanChat.TestSupport;
using Microsoft.AspNetCore.TestHost;

namespace CleanChat.WebhookApi.Tests;

/// <summary>
/// Tencent's three "before" callbacks wait for our answer. Today every one is recorded and allowed (ErrorCode 0);
/// a decision to refuse is made in <see cref="IBeforeCallbackPolicy"/> alone, and reaches Tencent in its shape.
/// </summary>
public sealed class BeforeCallbackTests : IDisposable
{
    private const string Allowed = """{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}""";

    private readonly TemporaryDatabase _database = new();
    private readonly WebhookApiFactory _host;

    public BeforeCallbackTests() => _host = new WebhookApiFactory(_database);

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    public static TheoryData<string> BeforeCommands =>
        [CallbackCommands.BeforeCreateOfficialAccount, CallbackCommands.BeforeAddSubscriber, CallbackCommands.BeforeSendMsg];

    private static string SampleOf(string command) => TencentCorpus.Samples.Single(s => s.Command == command).Body;

    private static async Task<(HttpStatusCode, string)> PostAsync(HttpClient client, string command, string body)
    {
        using var content = new StringContent(body);
        using var response = await client.PostAsync(new Uri("/webhook" + TencentSample.QueryFor(command), UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(BeforeCommands))]
    public async Task Records_each_before_callback_and_lets_the_action_go_ahead(string command)
    {
        var answer = await PostAsync(_host.CreateClient(), command, SampleOf(command));

        Assert.Equal((HttpStatusCode.OK, Allowed), answer);
        Assert.Equal(1, _database.Scalar<long>("SELECT COUNT(*) FROM webhook_events WHERE callback_command = @command", new { command }));
    }

    [Fact]
    public async Task A_policy_that_refuses_reaches_tencent_in_its_shape_and_the_request_is_still_recorded()
    {
        using var refusing = _host.WithWebHostBuilder(b => b.ConfigureTestServices(
            services => services.AddSingleton<IBeforeCallbackPolicy, RefusingPolicy>()));
        var client = refusing.CreateClient();

        var create = await PostAsync(client, CallbackCommands.BeforeCreateOfficialAccount, SampleOf(CallbackCommands.BeforeCreateOfficialAccount));
        var subscribers = await PostAsync(client, CallbackCommands.BeforeAddSubscriber, SampleOf(CallbackCommands.BeforeAddSubscriber));
        var message = await PostAsync(client, CallbackCommands.BeforeSendMsg, SampleOf(CallbackCommands.BeforeSendMsg));
        var after = await PostAsync(client, CallbackCommands.AfterSendMsg, SampleOf(CallbackCommands.AfterSendMsg));

        Assert.Equal((HttpStatusCode.OK, """{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":1}"""), create);
        Assert.Equal((HttpStatusCode.OK, """{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RefusedSubscribers_Account":["jared"]}"""), subscribers);
        Assert.Equal((HttpStatusCode.OK, """{"ActionStatus":"OK","ErrorInfo":"not today","ErrorCode":120001}"""), message);
        Assert.Equal((HttpStatusCode.OK, Allowed), after);
        Assert.Equal(4, _database.CountEvents());
    }

    /// <summary>A decision someone could make later: no new accounts, no "jared", no messages.</summary>
    private sealed class RefusingPolicy : IBeforeCallbackPolicy
    {
        public CallbackAnswer Decide(Callback<CreateOfficialAccountRequested> request) => CallbackAnswer.Refuse();

        public CallbackAnswer Decide(Callback<AddSubscribersRequested> request) =>
            CallbackAnswer.Allow with { RefusedSubscribers = ["jared"] };

        public CallbackAnswer Decide(Callback<SendMessageRequested> request) => CallbackAnswer.Refuse(120001, "not today");
    }
}
