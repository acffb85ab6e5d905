using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Grpc.Net.Client;

namespace CleanChat.GrpcApi.Tests;

/// <summary>Both hosts on one database of either engine: events go in through the webhook and come out over gRPC.</summary>
public sealed class HostsFixture : IDisposable
{
    public HostsFixture(
        IReadOnlyDictionary<string, string?>? grpcSettings = null, string engine = TestDatabases.Sqlite,
        IReadOnlyDictionary<string, string?>? webhookSettings = null)
    {
        Database = TestDatabases.Create(engine);
        Webhook = new WebhookApiFactory(Database, webhookSettings);
        Grpc = new GrpcApiFactory(Database, grpcSettings);
        Channel = Grpc.CreateChannel();
        Events = new WebhookEventService.WebhookEventServiceClient(Channel);
        Accounts = new OfficialAccountService.OfficialAccountServiceClient(Channel);
    }

    public ITestDatabase Database { get; }
    public WebhookApiFactory Webhook { get; }
    public GrpcApiFactory Grpc { get; }
    public GrpcChannel Channel { get; }
    public WebhookEventService.WebhookEventServiceClient Events { get; }
    public OfficialAccountService.OfficialAccountServiceClient Accounts { get; }

    public async Task PostDestroyedAsync(string officialAccount, long eventTime, string owner = "107867", string name = "TestOfficialAccount")
    {
        var response = await Webhook.PostAsync(TencentSample.Query, TencentSample.DestroyedBody(officialAccount, eventTime, owner, name));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts a callback with no typed handler: it is recorded as it came.</summary>
    public async Task PostOtherAsync(string command, string optPlatform, long eventTime, string officialAccount = "@TOA#_other")
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["CallbackCommand"] = command,
            ["Official_Account"] = officialAccount,
            ["EventTime"] = eventTime,
        });
        var response = await Webhook.PostAsync(TencentSample.QueryFor(command, optPlatform: optPlatform), body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts any callback body as Tencent does and returns the answer, failing unless it is HTTP 200.</summary>
    public async Task<string> PostCallbackAsync(string command, string body)
    {
        using var response = await Webhook.PostAsync(TencentSample.QueryFor(command), body);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{command} was answered {(int)response.StatusCode}: {answer}");
        return answer;
    }

    public void Dispose()
    {
        Channel.Dispose();
        Grpc.Dispose();
        Webhook.Dispose();
        Database.Dispose();
    }
}
