using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.TestSupport;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// Group commit under concurrency and faults, on each engine; every fault is the real database's behaviour
/// (a trigger that refuses some rows, another session holding the lock writers need).
/// </summary>
public abstract class GroupCommitTests(string engine)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Answers_each_of_many_concurrent_appends_only_once_its_row_is_committed()
    {
        await using var store = await StoreFixture.StartAsync(engine, maxBatchSize: 16);
        var events = Enumerable.Range(1, 300).Select(i => Events.Destroyed($"@TOA#_{i}", i)).ToArray();

        // Each caller looks for its row from another connection the moment it is answered.
        var answers = await Task.WhenAll(events.Select(e => Task.Run(async () =>
        {
            var result = await store.Store.AppendAsync(e, Events.Change(e, OfficialAccountState.Destroyed), None);
            return (result, visible: store.Database.Scalar<long>(
                "SELECT COUNT(*) FROM webhook_events WHERE delivery_key = @DeliveryKey AND sequence = @Sequence",
                new { e.DeliveryKey, result.Sequence }));
        }))).WaitAsync(Patience);

        Assert.All(answers, a => Assert.Equal(1, a.visible));
        Assert.All(answers, a => Assert.False(a.result.Duplicate));
        Assert.Equal(300, store.Database.CountEvents());
        Assert.Equal(300, store.Database.Scalar<long>("SELECT COUNT(*) FROM official_accounts WHERE state = 2"));
        Assert.Equal(RowsByDeliveryKey(store.Database), events.Zip(answers).ToDictionary(p => p.First.DeliveryKey, p => p.Second.result.Sequence));
    }

    [SkippableFact]
    public async Task Duplicates_within_and_across_batches_are_all_ok_and_stored_once()
    {
        await using var store = await StoreFixture.StartAsync(engine, maxBatchSize: 8);
        var earlier = Enumerable.Range(1, 40).Select(i => Events.Destroyed($"@TOA#_earlier_{i}", i)).ToArray();
        var fresh = Enumerable.Range(1, 40).Select(i => Events.Destroyed($"@TOA#_fresh_{i}", i)).ToArray();
        var first = await Task.WhenAll(earlier.Select(e => store.Store.AppendAsync(e, null, None)));

        // Every earlier event again, and every fresh one three times, all at once.
        var sent = earlier.Concat(fresh).Concat(fresh).Concat(fresh).OrderBy(_ => Random.Shared.Next()).ToArray();
        var results = await Task.WhenAll(sent.Select(e => Task.Run(() => store.Store.AppendAsync(e, null, None)))).WaitAsync(Patience);

        var stored = RowsByDeliveryKey(store.Database);
        Assert.Equal(80, stored.Count);
        Assert.All(sent.Zip(results), p => Assert.Equal(stored[p.First.DeliveryKey], p.Second.Sequence));
        Assert.Equal(earlier.Select(e => stored[e.DeliveryKey]), first.Select(r => r.Sequence));
        Assert.Equal(40, results.Count(r => !r.Duplicate));
        Assert.All(sent.Zip(results).Where(p => p.First.OfficialAccount!.Contains("earlier", StringComparison.Ordinal)), p => Assert.True(p.Second.Duplicate));
    }

    [SkippableFact]
    public async Task An_event_the_database_refuses_fails_alone_and_the_events_batched_with_it_are_stored()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        RefuseAccountsLike(store.Database, "@TOA#_poison%");
        var events = Enumerable.Range(1, 200)
            .Select(i => Events.Destroyed(i % 10 == 0 ? $"@TOA#_poison_{i}" : $"@TOA#_good_{i}", i))
            .ToArray();

        // Holding the write lock makes the appends queue up, so they share a transaction once it is released.
        Task<AppendResult>[] appends;
        using (WriteLock(store.Database))
        {
            appends = events.Select(e => store.Store.AppendAsync(e, null, None)).ToArray();
        }

        var outcomes = await Outcomes(appends);

        Assert.All(events.Zip(outcomes), p => Assert.Equal(p.First.OfficialAccount!.Contains("poison", StringComparison.Ordinal), p.Second is StorageUnavailableException));
        Assert.Equal(180, store.Database.CountEvents());
        Assert.Equal(0, store.Database.Scalar<long>("SELECT COUNT(*) FROM webhook_events WHERE official_account LIKE '@TOA#_poison%'"));
    }

    [SkippableFact]
    public async Task A_refused_event_leaves_no_state_and_the_events_batched_with_it_change_theirs()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        RefuseAccountsLike(store.Database, "@TOA#_poison%");
        var appends = Enumerable.Range(1, 60).Select(i =>
        {
            var e = Events.Destroyed(i % 10 == 0 ? $"@TOA#_poison_{i}" : $"@TOA#_good_{i}", i);
            var at = e.EventTime!.Value;
            StateChange change = (i % 3) switch
            {
                0 => Events.Change(e, OfficialAccountState.Destroyed),
                1 => new SubscriberChange(e.SdkAppId, e.OfficialAccount!, at, ["jared", "leckie"], Subscribed: true),
                _ => new MessageChange(e.SdkAppId, e.OfficialAccount!, at, $"{i}_1_1", at, OnlineOnly: false, "[]", null),
            };
            return (Event: e, Change: change);
        }).ToArray();

        Task<AppendResult>[] pending;
        using (WriteLock(store.Database))
        {
            pending = appends.Select(a => store.Store.AppendAsync(a.Event, a.Change, None)).ToArray();
        }

        await Outcomes(pending);

        Assert.Equal(0, store.Database.Scalar<long>(
            """
            SELECT (SELECT COUNT(*) FROM official_accounts WHERE official_account LIKE '@TOA#_poison%')
                 + (SELECT COUNT(*) FROM official_account_subscribers WHERE official_account LIKE '@TOA#_poison%')
                 + (SELECT COUNT(*) FROM official_account_messages WHERE official_account LIKE '@TOA#_poison%')
            """));
        Assert.Equal(54, store.Database.Scalar<long>("SELECT COUNT(*) FROM official_accounts"));
        Assert.Equal(2 * 18, store.Database.Scalar<long>("SELECT SUM(subscriber_count) FROM official_accounts"));
        Assert.Equal(18, store.Database.Scalar<long>("SELECT COUNT(*) FROM official_account_messages"));
    }

    [SkippableFact]
    public async Task A_batch_that_cannot_commit_fails_only_its_own_appends_and_the_writer_carries_on()
    {
        // The writer gives up on a locked database after about a second rather than thirty.
        using var database = TestDatabases.Create(engine);
        await using var store = await StoreFixture.StartAsync(database, connectionOptions: WaitForLocksBriefly, settings: ("Storage:BusyTimeoutMs", "1000"));
        var before = await store.Store.AppendAsync(Events.Destroyed("@TOA#_before", 1), null, None);

        Exception?[] outcomes;
        using (WriteLock(store.Database))
        {
            outcomes = await Outcomes(Enumerable.Range(1, 20)
                .Select(i => store.Store.AppendAsync(Events.Destroyed($"@TOA#_locked_{i}", i), null, None))
                .ToArray());
        }

        var after = await store.Store.AppendAsync(Events.Destroyed("@TOA#_after", 1), null, None).WaitAsync(Patience);

        Assert.All(outcomes, o => AssertLockTimeout(Assert.IsType<StorageUnavailableException>(o).InnerException));
        Assert.Equal(2, store.Database.CountEvents());
        Assert.True(after.Sequence > before.Sequence);
        Assert.False(after.Duplicate);
    }

    [SkippableFact]
    public async Task Stopping_commits_every_append_already_queued()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        Task<AppendResult>[] appends;
        using (WriteLock(store.Database))
        {
            appends = Enumerable.Range(1, 50).Select(i => store.Store.AppendAsync(Events.Destroyed($"@TOA#_{i}", i), null, None)).ToArray();
        }

        await store.Store.StopAsync(None).WaitAsync(Patience);
        var countedOnStop = store.Database.CountEvents();

        Assert.Equal(50, countedOnStop);
        Assert.All(await Outcomes(appends), Assert.Null);
    }

    [SkippableFact]
    public async Task Work_run_between_commits_runs_on_the_writer_after_every_append_queued_before_it_is_committed()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var before = Enumerable.Range(1, 40).Select(i => store.Store.AppendAsync(Events.Destroyed($"@TOA#_{i}", i), null, None)).ToArray();

        // Each append is in the queue once AppendAsync returns, so the work is queued behind all 40.
        var seen = await Task.Run(() => store.Store.RunBetweenCommits(() => (
            Thread.CurrentThread.Name,
            Answered: before.Count(a => a.IsCompletedSuccessfully),
            Committed: store.Database.CountEvents()))).WaitAsync(Patience);

        Assert.Equal("Event log writer", seen.Name);
        Assert.Equal(40, seen.Answered);
        Assert.Equal(40, seen.Committed);
    }

    [SkippableFact]
    public async Task Work_run_between_commits_that_throws_fails_its_caller_alone_and_the_writer_carries_on()
    {
        await using var store = await StoreFixture.StartAsync(engine);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(
            () => store.Store.RunBetweenCommits<int>(() => throw new InvalidOperationException("the work's own fault")))).WaitAsync(Patience);
        var after = await store.Store.AppendAsync(Events.Destroyed("@TOA#_after", 1), null, None).WaitAsync(Patience);

        Assert.Equal("the work's own fault", thrown.Message);
        Assert.False(after.Duplicate);
        Assert.Equal(1, store.Database.CountEvents());
    }

    private static async Task<Exception?[]> Outcomes(Task<AppendResult>[] appends)
    {
        await Task.WhenAll(appends.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Patience);
        return appends.Select(a => a.Exception?.InnerException).ToArray();
    }

    /// <summary>Appended to the connection string so a wait for a lock ends after about a second.</summary>
    protected abstract string WaitForLocksBriefly { get; }

    protected abstract void AssertLockTimeout(Exception? cause);

    /// <summary>Makes the database itself refuse rows for accounts matching the LIKE <paramref name="pattern"/>.</summary>
    protected abstract void RefuseAccountsLike(ITestDatabase database, string pattern);

    /// <summary>Another session holding the lock every writer needs, until disposed.</summary>
    protected abstract IDisposable WriteLock(ITestDatabase database);

    private static Dictionary<string, long> RowsByDeliveryKey(ITestDatabase database) =>
        database.Rows<(string Key, long Sequence)>("SELECT delivery_key, sequence FROM webhook_events")
            .ToDictionary(r => r.Key, r => r.Sequence);
}

public sealed class SqliteGroupCommitTests() : GroupCommitTests(TestDatabases.Sqlite)
{
    private const int SqliteBusy = 5;

    protected override string WaitForLocksBriefly => ";Default Timeout=1";

    protected override void AssertLockTimeout(Exception? cause) =>
        Assert.Equal(SqliteBusy, Assert.IsType<SqliteException>(cause).SqliteErrorCode);

    protected override void RefuseAccountsLike(ITestDatabase database, string pattern)
    {
        using var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False");
        connection.Execute($"""
            CREATE TRIGGER refuse_poison BEFORE INSERT ON webhook_events
            WHEN NEW.official_account LIKE '{pattern}'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """);
    }

    /// <summary>BEGIN IMMEDIATE on another connection: SQLite's one write lock.</summary>
    protected override IDisposable WriteLock(ITestDatabase database)
    {
        var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False");
        connection.Open();
        var transaction = connection.BeginTransaction(deferred: false);
        return new Held(connection, transaction);
    }
}

public sealed class PostgresGroupCommitTests() : GroupCommitTests(TestDatabases.Postgres)
{
    private const string LockNotAvailable = "55P03";

    protected override string WaitForLocksBriefly => "";

    protected override void AssertLockTimeout(Exception? cause) =>
        Assert.Equal(LockNotAvailable, Assert.IsType<PostgresException>(cause).SqlState);

    // A check violation (class 23): PostgreSQL refuses the row for what it holds, as it would a value too large.
    protected override void RefuseAccountsLike(ITestDatabase database, string pattern)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        connection.Execute($"ALTER TABLE webhook_events ADD CONSTRAINT refuse_poison CHECK (official_account NOT LIKE '{pattern}')");
    }

    /// <summary>Another session holding the advisory lock every commit takes first.</summary>
    protected override IDisposable WriteLock(ITestDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        connection.Open();
        var transaction = connection.BeginTransaction();
        connection.Execute("SELECT pg_advisory_xact_lock(@Key)", new { Key = Postgres.PostgresEventLogWriter.CommitLockKey }, transaction);
        return new Held(connection, transaction);
    }
}

internal sealed class Held(IDisposable connection, IDisposable transaction) : IDisposable
{
    public void Dispose()
    {
        transaction.Dispose();
        connection.Dispose();
    }
}
