using CleanChat.Contracts.V1;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;

namespace CleanChat.GrpcApi.Tests;

/// <summary>
/// A database from the build before the whole official-account family was typed (SQLite 3, PostgreSQL 1), where the
/// subscriber, profile, "full", message and withdraw callbacks were logged untyped and changed no state. Started on
/// it, the webhook host folds them into the state before it takes webhooks, and still knows their redeliveries.
/// </summary>
public abstract class OfficialAccountUpgradeTests(string engine, int versionBefore) : IDisposable
{
    private const string Account = "@TOA#_upgraded";

    private readonly ITestDatabase _database = TestDatabases.Create(engine);
    private WebhookApiFactory? _webhook;
    private GrpcApiFactory? _grpc;

    public void Dispose()
    {
        _grpc?.Dispose();
        _webhook?.Dispose();
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Timestamp At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToTimestamp();

    private static (string Command, long EventTime, string Body)[] StoredBefore =>
    [
        (CallbackCommands.AfterAddSubscriber, 1_000, $$"""{"Official_Account":"{{Account}}","SubscribeAccountList":[{"Subscriber_Account":"jared"},{"Subscriber_Account":"leckie"}],"EventTime":1000}"""),
        (CallbackCommands.AfterOfficialAccountInfoChanged, 1_500, $$"""{"Official_Account":"{{Account}}","Name":"Renamed","Introduction":"About us","EventTime":1500}"""),
        (CallbackCommands.AfterDeleteSubscriber, 2_000, $$"""{"Official_Account":"{{Account}}","SubscribeAccountList":[{"Subscriber_Account":"leckie"}],"EventTime":"2000"}"""),
        (CallbackCommands.AfterMsgWithDraw, 4_000, $$"""{"Official_Account":"{{Account}}","WithdrawMsgList":[{"MsgKey":"71_1_1698741698"}],"EventTime":4000}"""),
        (CallbackCommands.AfterSendMsg, 3_000, $$$"""{"Official_Account":"{{{Account}}}","MsgKey":"71_1_1698741698","MsgTime":1698741698,"OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}],"EventTime":3000}"""),
        (CallbackCommands.AfterOfficialAccountFull, 5_000, $$"""{"Official_Account":"{{Account}}","EventTime":5000}"""),
        // Taken then, refused now (no list): its state cannot be known, so it is left out.
        (CallbackCommands.AfterAddSubscriber, 6_000, $$"""{"Official_Account":"{{Account}}","EventTime":6000}"""),
    ];

    /// <summary>The rows as the build before stored them: common fields only, keyed by the body's hash.</summary>
    private void StoreAsTheBuildBeforeDid()
    {
        OlderSchema.Create(_database, versionBefore);
        foreach (var (command, eventTime, body) in StoredBefore)
        {
            _database.Scalar<long>(
                """
                INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, event_time, receive_time, opt_platform, opt_platform_raw, payload_json, delivery_key)
                VALUES (@App, @Command, @Account, @EventTime, 1, 'RESTAPI', 'RESTAPI', @Body, @Key);
                SELECT 0
                """,
                new { App = TencentSample.SdkAppId, Command = command, Account, EventTime = eventTime, Body = body, Key = DeliveryKeys.ForPayload(TencentSample.SdkAppId, command, body) });
        }
    }

    private OfficialAccountService.OfficialAccountServiceClient StartHosts()
    {
        _webhook = new WebhookApiFactory(_database);
        _ = _webhook.Server; // the webhook host starts, migrates and folds the stored events
        _grpc = new GrpcApiFactory(_database);
        return new OfficialAccountService.OfficialAccountServiceClient(_grpc.CreateChannel());
    }

    [SkippableFact]
    public async Task Folds_the_events_stored_untyped_into_the_state_before_taking_webhooks()
    {
        StoreAsTheBuildBeforeDid();

        var accounts = StartHosts();

        var account = await accounts.GetOfficialAccountAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account });
        var subscribers = await accounts.ListOfficialAccountSubscribersAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account });
        var message = Assert.Single((await accounts.ListOfficialAccountMessagesAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account })).Messages);
        Assert.Equal(("Renamed", "About us", At(5_000), 1L, At(1_698_741_698_000), At(5_000)),
            (account.Name, account.Introduction, account.FullTime, account.SubscriberCount, account.LastMessageTime, account.LastEventTime));
        Assert.Equal(["jared"], subscribers.Subscribers.Select(s => s.SubscriberAccount));
        Assert.Equal(("71_1_1698741698", true, true, At(4_000)), (message.MsgKey, message.OnlineOnly, message.Withdrawn, message.WithdrawTime));
        Assert.Equal(0, _database.Scalar<long>("SELECT COUNT(*) FROM state_replay"));
    }

    [SkippableFact]
    public async Task Still_knows_a_redelivery_of_an_event_stored_before_and_folds_nothing_twice()
    {
        StoreAsTheBuildBeforeDid();
        var accounts = StartHosts();
        var (command, _, body) = StoredBefore[0];

        using var response = await _webhook!.PostAsync(TencentSample.QueryFor(command), body);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(StoredBefore.Length, _database.CountEvents());
        Assert.Equal(1, (await accounts.GetOfficialAccountAsync(new() { SdkAppId = TencentSample.SdkAppId, OfficialAccount = Account })).SubscriberCount);
    }
}

public sealed class SqliteOfficialAccountUpgradeTests() : OfficialAccountUpgradeTests(TestDatabases.Sqlite, versionBefore: 3);

public sealed class PostgresOfficialAccountUpgradeTests() : OfficialAccountUpgradeTests(TestDatabases.Postgres, versionBefore: 1);
