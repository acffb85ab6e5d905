using CleanChat.Application.Common.Exceptions;
using CleanChat.TestSupport;
using Dapper;
using Npgsql;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// GetWebhookEvent's point read: kept prepared on SQLite, read together with the calls that arrive with it on
/// PostgreSQL. Either way each caller gets its own row.
/// </summary>
public abstract class PointReadTests(string engine)
{
    protected static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Calls_that_arrive_together_each_get_their_own_row_or_none()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var stored = new List<long>();
        for (var i = 1; i <= 20; i++)
        {
            stored.Add((await store.Store.AppendAsync(Events.Destroyed($"@TOA#_{i}", i), null, None)).Sequence);
        }

        // Each stored sequence asked for three times over, and as many that were never stored.
        var asked = stored.Concat(stored).Concat(stored).Concat(stored.Select(s => s + 1_000)).ToArray();
        var read = await Task.WhenAll(asked.Select(s => Task.Run(() => store.Events.GetAsync(s, None))));

        Assert.All(asked.Zip(read), pair =>
        {
            var (sequence, e) = pair;
            if (sequence > 1_000)
            {
                Assert.Null(e);
            }
            else
            {
                Assert.Equal(sequence, e?.Sequence);
                Assert.Equal($"@TOA#_{stored.IndexOf(sequence) + 1}", e?.OfficialAccount);
            }
        });
    }

    [SkippableFact]
    public async Task A_call_whose_token_is_already_cancelled_is_cancelled_and_the_next_read_succeeds()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var sequence = (await store.Store.AppendAsync(Events.Destroyed("@TOA#_a", 1), null, None)).Sequence;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Events.GetAsync(sequence, new CancellationToken(canceled: true)));
        Assert.Equal("@TOA#_a", (await store.Events.GetAsync(sequence, None))?.OfficialAccount);
    }
}

public sealed class SqlitePointReadTests() : PointReadTests(TestDatabases.Sqlite);

public sealed class PostgresPointReadTests() : PointReadTests(TestDatabases.Postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task A_caller_that_gives_up_while_its_read_waits_on_the_server_is_answered_at_once_and_the_reads_go_on()
    {
        await using var store = await StoreFixture.StartAsync(TestDatabases.Postgres);
        var sequence = (await store.Store.AppendAsync(Events.Destroyed("@TOA#_a", 1), null, None)).Sequence;
        using var cancel = new CancellationTokenSource();

        Task<Domain.Events.WebhookEvent?> waiting;
        using (HoldTable(store.Database))
        {
            waiting = store.Events.GetAsync(sequence, cancel.Token);
            // Until the server shows one of the node's read sessions waiting for the log's lock.
            await PostgresLocks.WaitForTableWaiterAsync(store.Database, "webhook_events", "cleanchat", Patience);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        }

        Assert.Equal("@TOA#_a", (await store.Events.GetAsync(sequence, None).WaitAsync(Patience))?.OfficialAccount);
    }

    [SkippableFact]
    public async Task A_read_while_the_server_is_down_answers_unavailable_and_the_first_read_after_it_is_back_succeeds()
    {
        using var database = TemporaryPostgresDatabase.OnItsOwnServer();
        await using var store = await StoreFixture.StartAsync(database);
        var sequence = (await store.Store.AppendAsync(Events.Destroyed("@TOA#_a", 1), null, None)).Sequence;
        await store.Events.GetAsync(sequence, None);

        await database.Server.StopAsync(immediate: true);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.Events.GetAsync(sequence, None).WaitAsync(Patience));
        await database.Server.StartAsync();
        var after = await store.Events.GetAsync(sequence, None).WaitAsync(Patience);

        Assert.Equal("@TOA#_a", after?.OfficialAccount);
    }

    /// <summary>Locks the log against readers in a transaction of a session of its own, until disposed.</summary>
    private static Held HoldTable(ITestDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false;Application Name=test-table-holder");
        connection.Open();
        var transaction = connection.BeginTransaction();
        connection.Execute("LOCK TABLE webhook_events IN ACCESS EXCLUSIVE MODE", transaction: transaction);
        return new Held(connection, transaction);
    }

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
