using CleanChat.Application.Common.Filters;
using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Persistence;
using CleanChat.Infrastructure.Retention;
using CleanChat.TestSupport;
using Npgsql;

namespace CleanChat.Infrastructure.Tests;

public abstract class RetentionTests(string engine) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _archive = Directory.CreateTempSubdirectory("cleanchat-archive-").FullName;

    public void Dispose()
    {
        Directory.Delete(_archive, recursive: true);
        GC.SuppressFinalize(this);
    }

    // Events.Destroyed are received in 2023: old for a MaxAge of a day. These are received now.
    private static WebhookEvent Fresh(string account, long eventTimeMs) => Events.Destroyed(account, eventTimeMs) with { ReceiveTime = DateTimeOffset.UtcNow };

    private Task<StoreFixture> StartAsync(int batchSize = 4, string? archive = null, bool withoutArchive = false) =>
        StoreFixture.StartAsync(engine, maxBatchSize: 512,
            ("Retention:MaxAge", "1.00:00:00"),
            ("Retention:BatchSize", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Retention:ArchivePath", withoutArchive ? "" : archive ?? _archive),
            ("Retention:DeleteWithoutArchive", withoutArchive ? "true" : "false"));

    private static async Task AppendAsync(StoreFixture store, params WebhookEvent[] events)
    {
        foreach (var e in events)
        {
            await store.Store.AppendAsync(e, null, None);
        }
    }

    private static WebhookEvent[] Old(int from, int count) =>
        Enumerable.Range(from, count).Select(i => Events.Destroyed($"@TOA#_{i}", i)).ToArray();

    private List<ArchivedEvent> Archived() => new EventArchive(_archive).Ranges()
        .SelectMany(r => EventArchive.Read(Path.Combine(_archive, r.File))).ToList();

    [SkippableFact]
    public async Task Archives_the_old_prefix_range_by_range_then_deletes_it_and_moves_the_floor()
    {
        await using var store = await StartAsync(batchSize: 4);
        var old = Old(1, 10);
        await AppendAsync(store, old);
        await AppendAsync(store, Fresh("@TOA#_new", 100));
        // Old by receive time but above a newer event, as a callback drained late from a node's spool lands: kept.
        await AppendAsync(store, Old(50, 2));

        var run = store.Resolve<RetentionJob>().RunOnce();

        Assert.Equal((RetentionJob.Completed, 11L, 10, 10), (run.Outcome, run.Floor, run.Archived, run.Deleted));
        Assert.Equal(3, store.Database.CountEvents());
        Assert.Equal(11, store.Database.Scalar<long>("SELECT first_sequence FROM retention_floor"));
        Assert.Equal(11, await store.Events.GetFloorAsync(None));
        Assert.Equal(
            ["events-1-4.jsonl.gz", "events-1-4.manifest.json", "events-5-8.jsonl.gz", "events-5-8.manifest.json", "events-9-10.jsonl.gz", "events-9-10.manifest.json"],
            Directory.GetFiles(_archive).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var archived = Archived();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), archived.Select(e => e.Sequence));
        Assert.Equal(old.Select(e => e.PayloadJson), archived.Select(e => e.PayloadJson));
        Assert.Equal(old.Select(e => e.DeliveryKey), archived.Select(e => e.DeliveryKey));
        Assert.Equal(old[0].ReceiveTime, archived[0].ReceiveTime);
        Assert.Equal(old[0].EventTime, archived[0].EventTime);
        var page = await store.Events.ListAfterAsync(new WebhookEventFilter(SdkAppId: Events.App), 0, 10, None);
        Assert.Equal([11L, 12, 13], page.Events.Select(e => e.Sequence));

        var again = store.Resolve<RetentionJob>().RunOnce();
        Assert.Equal((RetentionJob.Completed, 11L, 0), (again.Outcome, again.Floor, again.Deleted));
    }

    [SkippableFact]
    public async Task Deletes_without_an_archive_when_told_to_and_still_knows_the_newest_sequence()
    {
        await using var store = await StartAsync(withoutArchive: true);
        await AppendAsync(store, Old(1, 5));

        var run = store.Resolve<RetentionJob>().RunOnce();

        Assert.Equal((RetentionJob.Completed, 6L, 0, 5), (run.Outcome, run.Floor, run.Archived, run.Deleted));
        Assert.Equal(0, store.Database.CountEvents());
        Assert.Empty(Directory.GetFiles(_archive));
        Assert.Equal(5, await store.Events.GetLastSequenceAsync(None));
        var next = await store.Store.AppendAsync(Fresh("@TOA#_next", 1), null, None);
        Assert.Equal(6, next.Sequence);
    }

    [SkippableFact]
    public async Task A_range_archived_by_a_run_that_stopped_before_its_delete_is_deleted_as_archived_and_never_archived_twice()
    {
        await using var store = await StartAsync(batchSize: 5);
        await AppendAsync(store, Old(1, 10));
        // What a run killed between its archive and its delete leaves: a confirmed range 1-3 still in the log; and
        // what one killed while writing leaves: an unconfirmed file from sequence 4.
        using (var session = store.Resolve<RetentionStore>().Open()!)
        {
            new EventArchive(_archive).Write(session.ReadBatch(1, 3));
        }

        await File.WriteAllTextAsync(Path.Combine(_archive, "events-4-6.jsonl.gz"), "half written");

        var run = store.Resolve<RetentionJob>().RunOnce();

        Assert.Equal((RetentionJob.Completed, 11L, 10), (run.Outcome, run.Floor, run.Deleted));
        Assert.Equal(
            ["events-1-3.jsonl.gz", "events-4-8.jsonl.gz", "events-9-10.jsonl.gz"],
            Directory.GetFiles(_archive, "*.gz").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), Archived().Select(e => e.Sequence));
    }

    [SkippableTheory]
    [InlineData("missing")]
    [InlineData("a file")]
    public async Task A_bad_archive_path_fails_the_run_deletes_nothing_and_ingest_goes_on(string kind)
    {
        var path = Path.Combine(_archive, "not-there");
        if (kind == "a file")
        {
            await File.WriteAllTextAsync(path, "");
        }

        await using var store = await StartAsync(archive: path);
        await AppendAsync(store, Old(1, 5));

        var run = store.Resolve<RetentionJob>().RunOnce();
        var later = await store.Store.AppendAsync(Fresh("@TOA#_later", 1), null, None);

        Assert.Equal((RetentionJob.Failed, 0), (run.Outcome, run.Deleted));
        Assert.Equal(6, store.Database.CountEvents());
        Assert.Equal(1, store.Database.Scalar<long>("SELECT first_sequence FROM retention_floor"));
        Assert.Equal(6, later.Sequence);
    }

    [SkippableFact]
    public async Task Restoring_an_archive_into_a_fresh_store_serves_every_event_and_a_second_restore_adds_none()
    {
        await using (var store = await StartAsync(batchSize: 3))
        {
            await AppendAsync(store, Old(1, 7));
            Assert.Equal(7, store.Resolve<RetentionJob>().RunOnce().Deleted);
        }

        await using var audit = await StoreFixture.StartAsync(engine);
        var restore = new ArchiveRestore(audit.Resolve<IServiceProvider>(), Enum.Parse<StorageEngine>(engine));

        var first = restore.Load(new EventArchive(_archive));
        var second = restore.Load(new EventArchive(_archive));
        var next = await audit.Store.AppendAsync(Fresh("@TOA#_after", 1), null, None);

        Assert.Equal((3, 7L, 7L), first);
        Assert.Equal((3, 7L, 0L), second);
        var fourth = await audit.Events.GetAsync(4, None);
        Assert.Equal(Events.Destroyed("@TOA#_4", 4) with { Sequence = 4 }, fourth);
        Assert.Equal(8, next.Sequence);
    }
}

public sealed class SqliteRetentionTests() : RetentionTests(TestDatabases.Sqlite);

public sealed class PostgresRetentionTests() : RetentionTests(TestDatabases.Postgres)
{
    [SkippableFact]
    public async Task Only_one_node_runs_the_job_at_a_time()
    {
        using var database = TestDatabases.Create(TestDatabases.Postgres);
        await using var node = await StoreFixture.StartAsync(database, 512, "",
            ("Retention:MaxAge", "1.00:00:00"), ("Retention:DeleteWithoutArchive", "true"));
        await node.Store.AppendAsync(Events.Destroyed("@TOA#_a", 1), null, CancellationToken.None);

        // Another node's run holds the job's lock, on a session of its own that ends with the block (unpooled).
        await using (var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await other.OpenAsync();
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({RetentionStore.RetentionLockKey})", other);
            await take.ExecuteNonQueryAsync();

            var skipped = node.Resolve<RetentionJob>().RunOnce();

            Assert.Equal((RetentionJob.Skipped, 0), (skipped.Outcome, skipped.Deleted));
            Assert.Equal(1, database.CountEvents());

            // Released before the next run: closing the session releases it too, but only once the server has noticed.
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({RetentionStore.RetentionLockKey})", other);
            await release.ExecuteNonQueryAsync();
        }

        var ran = node.Resolve<RetentionJob>().RunOnce();
        Assert.Equal((RetentionJob.Completed, 1), (ran.Outcome, ran.Deleted));
    }
}
