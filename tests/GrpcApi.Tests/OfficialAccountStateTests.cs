using System.Text.Json;
using CleanChat.Contracts.V1;
using CleanChat.Domain.Callbacks;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;

namespace CleanChat.GrpcApi.Tests;

/// <summary>
/// Late, repeated and out-of-order deliveries through the real hosts, for each kind of state: the account's fields,
/// its subscribers, its messages. Whatever the arrival order, the newest event decides.
/// </summary>
public abstract class OfficialAccountStateTests(string engine) : IDisposable
{
    private const string Account = "@TOA#_state";

    private readonly HostsFixture _hosts = new(engine: engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Timestamp At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToTimestamp();

    private static string Body(string command, long eventTime, params (string Key, object? Value)[] fields) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>(
            [new("CallbackCommand", command), new("Official_Account", Account), .. fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Value)), new("EventTime", eventTime)]));

    private Task<string> InfoChangedAsync(long eventTime, params (string Key, object? Value)[] fields) =>
        _hosts.PostCallbackAsync(CallbackCommands.AfterOfficialAccountInfoChanged, Body(CallbackCommands.AfterOfficialAccountInfoChanged, eventTime, fields));

    private Task<string> SubscribersAsync(string command, long eventTime, params string[] users) =>
        _hosts.PostCallbackAsync(command, Body(command, eventTime, ("SubscribeAccountList", users.Select(u => new Dictionary<string, string> { ["Subscriber_Account"] = u }))));

    private Task<string> SendAsync(long eventTime, string msgKey, long msgTime, string text) =>
        _hosts.PostCallbackAsync(CallbackCommands.AfterSendMsg, Body(CallbackCommands.AfterSendMsg, eventTime,
            ("MsgKey", msgKey), ("MsgTime", msgTime), ("OnlineOnlyFlag", 0),
            ("MsgBody", new[] { new { MsgType = "TIMTextElem", MsgContent = new { Text = text } } })));

    private Task<string> WithdrawAsync(long eventTime, params string[] msgKeys) =>
        _hosts.PostCallbackAsync(CallbackCommands.AfterMsgWithDraw, Body(CallbackCommands.AfterMsgWithDraw, eventTime,
            ("WithdrawMsgList", msgKeys.Select(k => new { MsgKey = k }))));

    private Task<OfficialAccount> AccountAsync() =>
        _hosts.Accounts.GetOfficialAccountAsync(new GetOfficialAccountRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account }).ResponseAsync;

    private async Task<List<(string, long)>> SubscribersAsync() =>
        [.. (await _hosts.Accounts.ListOfficialAccountSubscribersAsync(
            new ListOfficialAccountSubscribersRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account }))
            .Subscribers.Select(s => (s.SubscriberAccount, s.SubscribeTime.ToDateTimeOffset().ToUnixTimeMilliseconds()))];

    private async Task<List<OfficialAccountMessage>> MessagesAsync() =>
        [.. (await _hosts.Accounts.ListOfficialAccountMessagesAsync(
            new ListOfficialAccountMessagesRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account })).Messages];

    [SkippableFact]
    public async Task A_late_profile_change_never_overwrites_a_newer_one_field_by_field()
    {
        await InfoChangedAsync(3_000, ("Name", "newest name"));
        await InfoChangedAsync(2_000, ("Introduction", "newer intro"), ("FaceUrl", "http://face/2"));
        await InfoChangedAsync(1_000, ("Name", "late name"), ("Introduction", "late intro"), ("FaceUrl", "http://face/1"), ("Organization", "late org"));

        var account = await AccountAsync();

        Assert.Equal(("newest name", "newer intro", "http://face/2", "late org", At(3_000)),
            (account.Name, account.Introduction, account.FaceUrl, account.Organization, account.LastEventTime));
    }

    [SkippableFact]
    public async Task A_late_create_never_revives_a_destroyed_account_but_a_newer_one_does()
    {
        var create = (long t, string name) => _hosts.PostCallbackAsync(CallbackCommands.AfterCreateOfficialAccount,
            Body(CallbackCommands.AfterCreateOfficialAccount, t, ("Owner_Account", "owner"), ("Name", name)));

        await _hosts.PostDestroyedAsync(Account, 2_000, owner: "owner", name: "at destroy");
        await create(1_000, "at first create");
        var afterLateCreate = await AccountAsync();
        await create(3_000, "recreated");
        var afterNewerCreate = await AccountAsync();

        Assert.Equal((OfficialAccount.Types.State.Destroyed, At(2_000), "at destroy", At(1_000)),
            (afterLateCreate.State, afterLateCreate.DestroyTime, afterLateCreate.Name, afterLateCreate.CreateTime));
        Assert.Equal((OfficialAccount.Types.State.Active, null, "recreated", At(3_000)),
            (afterNewerCreate.State, afterNewerCreate.DestroyTime, afterNewerCreate.Name, afterNewerCreate.CreateTime));
    }

    [SkippableFact]
    public async Task A_repeated_profile_change_is_stored_once_and_changes_nothing_more()
    {
        await InfoChangedAsync(1_000, ("Name", "once"));
        var first = await AccountAsync();

        await InfoChangedAsync(1_000, ("Name", "once"));

        Assert.Equal(first, await AccountAsync());
        Assert.Equal(1, _hosts.Database.CountEvents());
    }

    [SkippableFact]
    public async Task A_late_full_report_never_moves_the_full_time_back()
    {
        var full = (long t) => _hosts.PostCallbackAsync(CallbackCommands.AfterOfficialAccountFull, Body(CallbackCommands.AfterOfficialAccountFull, t));

        await full(5_000);
        await full(4_000);

        Assert.Equal(At(5_000), (await AccountAsync()).FullTime);
    }

    [SkippableFact]
    public async Task An_unsubscribe_that_arrives_before_the_older_subscribe_leaves_the_user_unsubscribed()
    {
        await SubscribersAsync(CallbackCommands.AfterDeleteSubscriber, 2_000, "jared");
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 1_000, "jared", "leckie");

        Assert.Equal([("leckie", 1_000L)], await SubscribersAsync());
        Assert.Equal(1, (await AccountAsync()).SubscriberCount);
    }

    [SkippableFact]
    public async Task A_repeated_subscribe_counts_once_and_a_newer_one_moves_the_subscribe_time()
    {
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 1_000, "jared");
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 1_000, "jared");
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 3_000, "jared");

        Assert.Equal([("jared", 3_000L)], await SubscribersAsync());
        Assert.Equal(1, (await AccountAsync()).SubscriberCount);
        Assert.Equal(2, _hosts.Database.CountEvents());
    }

    [SkippableFact]
    public async Task Two_subscriber_events_for_one_account_in_the_same_millisecond_are_both_kept()
    {
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 1_000, "jared");
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 1_000, "leckie");

        Assert.Equal([("jared", 1_000L), ("leckie", 1_000L)], await SubscribersAsync());
        Assert.Equal(2, _hosts.Database.CountEvents());
    }

    [SkippableFact]
    public async Task At_the_same_time_an_unsubscribe_wins_over_a_subscribe_whichever_arrives_first()
    {
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 1_000, "jared", "leckie");
        await SubscribersAsync(CallbackCommands.AfterDeleteSubscriber, 1_000, "jared");
        await SubscribersAsync(CallbackCommands.AfterDeleteSubscriber, 2_000, "leckie");
        await SubscribersAsync(CallbackCommands.AfterAddSubscriber, 2_000, "leckie");

        Assert.Empty(await SubscribersAsync());
        Assert.Equal(0, (await AccountAsync()).SubscriberCount);
    }

    [SkippableFact]
    public async Task A_withdraw_that_arrives_before_its_message_still_leaves_it_withdrawn()
    {
        await WithdrawAsync(2_000, "1_1_1698741601");
        await SendAsync(1_000, "1_1_1698741601", 1698741601, "hello");
        await SendAsync(1_000, "1_1_1698741601", 1698741601, "hello");

        var message = Assert.Single(await MessagesAsync());
        Assert.Equal(("1_1_1698741601", true, At(2_000), At(1_698_741_601_000)),
            (message.MsgKey, message.Withdrawn, message.WithdrawTime, message.MsgTime));
        Assert.Contains("hello", message.MsgBodyJson, StringComparison.Ordinal);
        Assert.Equal(2, _hosts.Database.CountEvents());
    }

    [SkippableFact]
    public async Task A_late_send_of_the_same_message_never_overwrites_the_newer_content()
    {
        await SendAsync(2_000, "1_1_1698741601", 1698741601, "edited");
        await SendAsync(1_000, "1_1_1698741601", 1698741601, "original");

        Assert.Contains("edited", Assert.Single(await MessagesAsync()).MsgBodyJson, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_last_message_time_is_the_newest_msg_time_whatever_the_arrival_order()
    {
        await SendAsync(2_000, "2_1_1698741602", 1698741602, "second");
        await SendAsync(1_000, "1_1_1698741601", 1698741601, "first");

        Assert.Equal(At(1_698_741_602_000), (await AccountAsync()).LastMessageTime);
        Assert.Equal(["2_1_1698741602", "1_1_1698741601"], (await MessagesAsync()).Select(m => m.MsgKey));
    }
}

public sealed class SqliteOfficialAccountStateTests() : OfficialAccountStateTests(TestDatabases.Sqlite);

public sealed class PostgresOfficialAccountStateTests() : OfficialAccountStateTests(TestDatabases.Postgres);
