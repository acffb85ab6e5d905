using System.Text.Json;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.Unhandled;
using CleanChat.Domain.Events;
using CleanChat.TestSupport;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// Upgrading a database written while callbacks we do not model were keyed by their body's hash alone (SQLite 6,
/// PostgreSQL 4): their keys now start with the event time when the body has one (SQLite 0007, PostgreSQL 0005).
/// </summary>
public abstract class UntypedKeyMigrationTests(string engine, int versionBefore)
{
    private const string Command = "C2C.CallbackAfterSendMsg";
    private const long EventTime = 1_765_000_000_123;

    private static readonly string Sent =
        $$$"""{"CallbackCommand":"{{{Command}}}","From_Account":"jared","To_Account":"Jonh","MsgSeq":48374,"MsgRandom":2837546,"MsgTime":1765000000,"MsgKey":"48374_2837546_1765000000","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],"EventTime":{{{EventTime}}}}""";

    private const string Timeless = """{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"jared","MsgKey":"1_2_3"}""";

    private static RecordedCallback Record(string payload) =>
        new UnhandledCallbackHandler(null!).Record(
            new CallbackEnvelope(Events.App, Command, "127.0.0.1", "RESTAPI", DateTimeOffset.UnixEpoch, payload),
            JsonSerializer.Deserialize<UnhandledCallback>(payload)!);

    /// <summary>What the build before stored: two message callbacks keyed by their body's hash, one with an event time.</summary>
    private static void StoreAsTheBuildBeforeDid(ITestDatabase database) =>
        database.Scalar<long>(
            """
            INSERT INTO webhook_events (sdk_app_id, callback_command, event_time, receive_time, payload_json, delivery_key)
            VALUES (@App, @Command, @EventTime, 1, @Sent, @SentKey),
                   (@App, @Command, NULL, 1, @Timeless, @TimelessKey);
            SELECT 0
            """,
            new
            {
                App = Events.App,
                Command,
                EventTime,
                Sent,
                SentKey = DeliveryKeys.ForPayload(Events.App, Command, Sent),
                Timeless,
                TimelessKey = DeliveryKeys.ForPayload(Events.App, Command, Timeless),
            });

    [SkippableFact]
    public async Task A_redelivery_of_an_untyped_callback_stored_before_the_upgrade_is_still_a_duplicate()
    {
        using var database = TestDatabases.Create(engine);
        OlderSchema.Create(database, versionBefore);
        StoreAsTheBuildBeforeDid(database);
        await using var store = await StoreFixture.StartAsync(database);

        var sent = Record(Sent);
        var timeless = Record(Timeless);
        var sentAgain = await store.Store.AppendAsync(sent.Event, sent.Change, CancellationToken.None);
        var timelessAgain = await store.Store.AppendAsync(timeless.Event, timeless.Change, CancellationToken.None);

        Assert.Equal((1L, true), (sentAgain.Sequence, sentAgain.Duplicate));
        Assert.Equal((2L, true), (timelessAgain.Sequence, timelessAgain.Duplicate));
        Assert.Equal(2, database.CountEvents());
    }

    [SkippableFact]
    public async Task Stored_keys_get_the_event_time_in_front_as_new_ones_have_it()
    {
        using var database = TestDatabases.Create(engine);
        OlderSchema.Create(database, versionBefore);
        StoreAsTheBuildBeforeDid(database);

        await using var store = await StoreFixture.StartAsync(database);

        Assert.Equal(
            [
                $"{EventTime:D15}|{DeliveryKeys.ForPayload(Events.App, Command, Sent)}",
                DeliveryKeys.ForPayload(Events.App, Command, Timeless),
            ],
            database.Rows<string>("SELECT delivery_key FROM webhook_events ORDER BY sequence"));
        Assert.Equal(Record(Sent).Event.DeliveryKey, database.Rows<string>("SELECT delivery_key FROM webhook_events WHERE sequence = 1").Single());
    }
}

public sealed class SqliteUntypedKeyMigrationTests() : UntypedKeyMigrationTests(TestDatabases.Sqlite, versionBefore: 6);

public sealed class PostgresUntypedKeyMigrationTests() : UntypedKeyMigrationTests(TestDatabases.Postgres, versionBefore: 4);
