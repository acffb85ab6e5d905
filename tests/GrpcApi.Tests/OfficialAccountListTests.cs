using System.Text.Json;
using CleanChat.Contracts.V1;
using CleanChat.Domain.Callbacks;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CleanChat.GrpcApi.Tests;

/// <summary>ListOfficialAccountSubscribers and ListOfficialAccountMessages: order, keyset pages, filters, refusals.</summary>
public abstract class OfficialAccountListTests(string engine) : IDisposable
{
    private const string Account = "@TOA#_lists";

    private readonly HostsFixture _hosts = new(engine: engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Timestamp Seconds(long s) => DateTimeOffset.FromUnixTimeSeconds(s).ToTimestamp();

    private Task<string> SubscribeAsync(string account, long eventTime, params string[] users) =>
        _hosts.PostCallbackAsync(CallbackCommands.AfterAddSubscriber, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Official_Account"] = account,
            ["SubscribeAccountList"] = users.Select(u => new Dictionary<string, string> { ["Subscriber_Account"] = u }),
            ["EventTime"] = eventTime,
        }));

    private Task<string> SendAsync(string msgKey, long msgTimeSeconds) =>
        _hosts.PostCallbackAsync(CallbackCommands.AfterSendMsg, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Official_Account"] = Account,
            ["MsgKey"] = msgKey,
            ["MsgTime"] = msgTimeSeconds,
            ["EventTime"] = msgTimeSeconds * 1000 + 5,
        }));

    private async Task<List<string>> AllSubscriberPagesAsync(int pageSize)
    {
        var request = new ListOfficialAccountSubscribersRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account, PageSize = pageSize };
        var pages = new List<string>();
        do
        {
            var page = await _hosts.Accounts.ListOfficialAccountSubscribersAsync(request);
            pages.Add(string.Join(",", page.Subscribers.Select(s => s.SubscriberAccount)));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return pages;
    }

    [SkippableFact]
    public async Task Pages_through_the_current_subscribers_in_subscriber_order()
    {
        await SubscribeAsync(Account, 1_000, "e", "c", "a");
        await SubscribeAsync(Account, 2_000, "d", "b");
        await SubscribeAsync("@TOA#_other", 1_000, "x");

        Assert.Equal(["a,b", "c,d", "e"], await AllSubscriberPagesAsync(pageSize: 2));
    }

    [SkippableFact]
    public async Task Leaves_out_users_who_unsubscribed()
    {
        await SubscribeAsync(Account, 1_000, "a", "b", "c");
        await _hosts.PostCallbackAsync(CallbackCommands.AfterDeleteSubscriber, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Official_Account"] = Account,
            ["SubscribeAccountList"] = new[] { new Dictionary<string, string> { ["Subscriber_Account"] = "b" } },
            ["EventTime"] = 2_000,
        }));

        Assert.Equal(["a,c"], await AllSubscriberPagesAsync(pageSize: 0));
    }

    [SkippableFact]
    public async Task Lists_messages_newest_first_in_pages_within_a_msg_time_range()
    {
        await SendAsync("1_1_1", 1_698_741_601);
        await SendAsync("3_1_3", 1_698_741_603);
        await SendAsync("2_1_2", 1_698_741_602);
        await SendAsync("4_1_4", 1_698_741_604);
        var request = new ListOfficialAccountMessagesRequest
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount = Account,
            MsgTime = new TimeRange { StartTime = Seconds(1_698_741_602), EndTime = Seconds(1_698_741_604) },
            PageSize = 1,
        };

        var first = await _hosts.Accounts.ListOfficialAccountMessagesAsync(request);
        request.PageToken = first.NextPageToken;
        var second = await _hosts.Accounts.ListOfficialAccountMessagesAsync(request);
        var all = await _hosts.Accounts.ListOfficialAccountMessagesAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account });

        Assert.Equal(["3_1_3"], first.Messages.Select(m => m.MsgKey));
        Assert.Equal(["2_1_2"], second.Messages.Select(m => m.MsgKey));
        Assert.Empty(second.NextPageToken);
        Assert.Equal(["4_1_4", "3_1_3", "2_1_2", "1_1_1"], all.Messages.Select(m => m.MsgKey));
    }

    [SkippableFact]
    public async Task Answers_an_empty_page_for_an_account_never_heard_of()
    {
        var subscribers = await _hosts.Accounts.ListOfficialAccountSubscribersAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = "@TOA#_nobody" });
        var messages = await _hosts.Accounts.ListOfficialAccountMessagesAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = "@TOA#_nobody" });

        Assert.Empty(subscribers.Subscribers);
        Assert.Empty(messages.Messages);
    }

    [SkippableFact]
    public async Task Refuses_a_page_token_made_for_another_account()
    {
        await SubscribeAsync(Account, 1_000, "a", "b");
        var page = await _hosts.Accounts.ListOfficialAccountSubscribersAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account, PageSize = 1 });

        var error = await Assert.ThrowsAsync<RpcException>(() => _hosts.Accounts.ListOfficialAccountSubscribersAsync(
            new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = "@TOA#_other", PageToken = page.NextPageToken }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("page_token", error.Status.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refuses_a_list_without_its_account_or_with_a_backwards_range()
    {
        var subscribers = await Assert.ThrowsAsync<RpcException>(() => _hosts.Accounts.ListOfficialAccountSubscribersAsync(new()).ResponseAsync);
        var messages = await Assert.ThrowsAsync<RpcException>(() => _hosts.Accounts.ListOfficialAccountMessagesAsync(new()
        {
            SdkAppId = TencentSample.SdkAppId,
            MsgTime = new TimeRange { StartTime = Seconds(2), EndTime = Seconds(1) },
        }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (subscribers.StatusCode, messages.StatusCode));
        Assert.Contains("official_account", subscribers.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("sdk_app_id", subscribers.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("official_account", messages.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("msg_time", messages.Status.Detail, StringComparison.Ordinal);
    }
}

public sealed class SqliteOfficialAccountListTests() : OfficialAccountListTests(TestDatabases.Sqlite);

public sealed class PostgresOfficialAccountListTests() : OfficialAccountListTests(TestDatabases.Postgres);
