using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.OfficialAccountInfoChanged;
using CleanChat.Application.Callbacks.SubscribersAdded;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.TestSupport;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// Upgrading a database written before the whole official-account family was typed (SQLite 3, PostgreSQL 1): the
/// commands typed now were stored untyped, under a key of their body's hash, and only create and destroy set state.
/// </summary>
public abstract class OfficialAccountStateMigrationTests(string engine, int versionBefore)
{
    private const string Account = "@TOA#_upgraded";
    private const long Destroyed = 1_700_000_000_000;

    private static readonly string AddedBody =
        $$"""{"CallbackCommand":"{{CallbackCommands.AfterAddSubscriber}}","Official_Account":"{{Account}}","Operator_Account":"op","SubscribeAccountList":[{"Subscriber_Account":"jared"}],"EventTime":1670574414123}""";

    private static CallbackEnvelope Envelope(string command, string payload) =>
        new(Events.App, command, "127.0.0.1", "RESTAPI", DateTimeOffset.UnixEpoch, payload);

    /// <summary>What the build before stored: the subscriber callback untyped, and a destroyed account.</summary>
    private static void StoreAsTheBuildBeforeDid(ITestDatabase database) =>
        database.Scalar<long>(
            """
            INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, event_time, receive_time, payload_json, delivery_key)
            VALUES (@App, @Added, @Account, 1670574414123, 1, @AddedBody, @AddedKey),
                   (@App, 'Group.CallbackAfterNewMemberJoin', NULL, 1670574414123, 1, '{}', @OtherKey),
                   (@App, 'OfficialAccount.CallbackAfterSendMsg', NULL, NULL, 1, '{"EventTime":"soon"}', @NoTimeKey),
                   (@App, @Destroy, @Account, @Destroyed, 1, '{}', @DestroyedKey);
            INSERT INTO official_accounts (sdk_app_id, official_account, state, owner_account, name, create_time, destroy_time, last_event_time, last_event_sequence)
            VALUES (@App, @Account, 2, '107867', 'Before', NULL, @Destroyed, @Destroyed, 4);
            SELECT 0
            """,
            new
            {
                App = Events.App,
                Added = CallbackCommands.AfterAddSubscriber,
                Account,
                AddedBody,
                AddedKey = DeliveryKeys.ForPayload(Events.App, CallbackCommands.AfterAddSubscriber, AddedBody),
                OtherKey = DeliveryKeys.ForPayload(Events.App, "Group.CallbackAfterNewMemberJoin", "{}"),
                NoTimeKey = DeliveryKeys.ForPayload(Events.App, CallbackCommands.AfterSendMsg, """{"EventTime":"soon"}"""),
                Destroy = CallbackCommands.AfterOfficialAccountDestroyed,
                Destroyed,
                DestroyedKey = DeliveryKeys.ForAccountEvent(Events.App, CallbackCommands.AfterOfficialAccountDestroyed, Account, Destroyed),
            });

    [SkippableFact]
    public async Task A_redelivery_of_an_event_stored_untyped_before_the_upgrade_is_still_a_duplicate()
    {
        using var database = TestDatabases.Create(engine);
        OlderSchema.Create(database, versionBefore);
        StoreAsTheBuildBeforeDid(database);
        await using var store = await StoreFixture.StartAsync(database);
        var body = new SubscribersAdded(CallbackCommands.AfterAddSubscriber, Account, "op", [new SubscribeAccountEntry("jared")], 1670574414123);
        var (redelivery, change) = new SubscribersAddedHandler(store.Store).Record(Envelope(CallbackCommands.AfterAddSubscriber, AddedBody), body);

        var again = await store.Store.AppendAsync(redelivery, change, CancellationToken.None);

        Assert.True(again.Duplicate);
        Assert.Equal(1, again.Sequence);
        Assert.Equal(4, database.CountEvents());
    }

    [SkippableFact]
    public async Task Keys_of_bodies_without_an_event_time_are_left_as_they_were_and_the_rest_start_with_it()
    {
        using var database = TestDatabases.Create(engine);
        OlderSchema.Create(database, versionBefore);
        StoreAsTheBuildBeforeDid(database);

        await using var store = await StoreFixture.StartAsync(database);

        Assert.Equal(
            [
                // Still untyped, but stored with an event time: its key gets the time in front (SQLite 0007, PostgreSQL 0005).
                DeliveryKeys.ForEventPayload(Events.App, "Group.CallbackAfterNewMemberJoin", 1670574414123, "{}"),
                DeliveryKeys.ForPayload(Events.App, CallbackCommands.AfterSendMsg, """{"EventTime":"soon"}"""),
                DeliveryKeys.ForAccountEvent(Events.App, CallbackCommands.AfterOfficialAccountDestroyed, Account, Destroyed),
            ],
            database.Rows<string>("SELECT delivery_key FROM webhook_events WHERE sequence > 1 ORDER BY sequence"));
    }

    [SkippableFact]
    public async Task An_account_stored_before_keeps_its_state_and_its_fields_stay_newer_than_older_events()
    {
        using var database = TestDatabases.Create(engine);
        OlderSchema.Create(database, versionBefore);
        StoreAsTheBuildBeforeDid(database);
        await using var store = await StoreFixture.StartAsync(database);

        await InfoChangedAsync(store, Destroyed - 1, name: "Older", introduction: "older intro");
        var afterOlder = await store.Accounts.GetAsync(Events.App, Account, CancellationToken.None);
        await InfoChangedAsync(store, Destroyed + 1, name: "Newer", introduction: "newer intro");
        var afterNewer = await store.Accounts.GetAsync(Events.App, Account, CancellationToken.None);

        Assert.Equal((OfficialAccountState.Destroyed, "107867", "Before", "older intro"),
            (afterOlder!.State, afterOlder.OwnerAccount, afterOlder.Name, afterOlder.Introduction));
        Assert.Equal((OfficialAccountState.Destroyed, "Newer", "newer intro", Destroyed + 1),
            (afterNewer!.State, afterNewer.Name, afterNewer.Introduction, afterNewer.LastEventTime.ToUnixTimeMilliseconds()));
    }

    private static async Task InfoChangedAsync(StoreFixture store, long eventTime, string name, string introduction)
    {
        var body = new OfficialAccountInfoChanged(CallbackCommands.AfterOfficialAccountInfoChanged, Account, "op", introduction, name, null, null, eventTime);
        var payload = $$"""{"Official_Account":"{{Account}}","Name":"{{name}}","EventTime":{{eventTime}}}""";
        var (e, change) = new OfficialAccountInfoChangedHandler(store.Store).Record(Envelope(CallbackCommands.AfterOfficialAccountInfoChanged, payload), body);
        await store.Store.AppendAsync(e, change, CancellationToken.None);
    }
}

public sealed class SqliteOfficialAccountStateMigrationTests() : OfficialAccountStateMigrationTests(TestDatabases.Sqlite, versionBefore: 3);

public sealed class PostgresOfficialAccountStateMigrationTests() : OfficialAccountStateMigrationTests(TestDatabases.Postgres, versionBefore: 1);
