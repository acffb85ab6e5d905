using System.Diagnostics;
using Dapper;
using Npgsql;

namespace CleanChat.TestSupport;

/// <summary>
/// Advisory locks on a test's PostgreSQL database: held by a session of the test's own, and the sessions waiting for
/// them as <c>pg_locks</c> shows them. Holding <see cref="CommitLockKey"/> stops every node's group commit at its first
/// statement, with the whole batch already sent to the server; a waiter in <c>pg_locks</c> is the server's own
/// evidence that a node's writer is there.
/// </summary>
public static class PostgresLocks
{
    /// <summary>How often a wait here looks again: PostgreSQL raises no signal when a session starts to wait.</summary>
    private static readonly TimeSpan LookAgain = TimeSpan.FromMilliseconds(10);

    /// <summary>The lock each group commit takes first (<c>pg_advisory_xact_lock</c>), on every node the same.</summary>
    public static long CommitLockKey => Infrastructure.Postgres.PostgresEventLogWriter.CommitLockKey;

    /// <summary>The lock a retention run holds for its whole run (<c>pg_try_advisory_lock</c>, session level), on every node the same.</summary>
    public static long RetentionLockKey => Infrastructure.Retention.RetentionStore.RetentionLockKey;

    /// <summary>
    /// Takes <paramref name="key"/> (<c>pg_advisory_xact_lock</c>) in a transaction on a connection of its own, waiting
    /// for it if another session holds it; disposing ends the transaction, which releases it.
    /// </summary>
    public static IDisposable Hold(ITestDatabase database, long key)
    {
        var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false;Application Name=test-lock-holder");
        try
        {
            connection.Open();
            var transaction = connection.BeginTransaction();
            connection.Execute("SELECT pg_advisory_xact_lock(@Key)", new { Key = key }, transaction);
            return new Held(connection, transaction);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> sessions wait for <paramref name="key"/>, counting only those whose
    /// <c>application_name</c> is <paramref name="applicationName"/> if given.
    /// </summary>
    /// <exception cref="TimeoutException">Not so within <paramref name="patience"/>; the message says who was waiting.</exception>
    public static Task WaitForWaitersAsync(ITestDatabase database, long key, int count, string? applicationName, TimeSpan patience) =>
        WaitForAsync(database, c => AdvisorySessionsAsync(c, key, granted: false), count, applicationName, $"advisory lock {key}", patience);

    /// <summary>Waits until a session named <paramref name="applicationName"/> waits for a lock on <paramref name="table"/>.</summary>
    /// <exception cref="TimeoutException">Not so within <paramref name="patience"/>; the message says who was waiting.</exception>
    public static Task WaitForTableWaiterAsync(ITestDatabase database, string table, string applicationName, TimeSpan patience) =>
        WaitForAsync(database, c => TableWaitersAsync(c, table), 1, applicationName, $"a lock on table {table}", patience);

    /// <summary>The application_name of each session holding <paramref name="key"/>.</summary>
    public static async Task<IReadOnlyList<string>> HoldersAsync(ITestDatabase database, long key)
    {
        await using var connection = await WatcherAsync(database);
        return await AdvisorySessionsAsync(connection, key, granted: true);
    }

    private static async Task WaitForAsync(
        ITestDatabase database, Func<NpgsqlConnection, Task<IReadOnlyList<string>>> waitersOf, int count, string? applicationName,
        string what, TimeSpan patience)
    {
        await using var connection = await WatcherAsync(database);
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<string> waiting;
        while ((waiting = await waitersOf(connection)).Count(w => applicationName is null || w == applicationName) < count)
        {
            if (deadline.Elapsed > patience)
            {
                throw new TimeoutException(
                    $"Waited {patience.TotalSeconds} s for {count} sessions{(applicationName is null ? "" : $" of '{applicationName}'")} " +
                    $"to wait for {what}; waiting: [{string.Join(", ", waiting)}].");
            }

            await Task.Delay(LookAgain);
        }
    }

    private static async Task<NpgsqlConnection> WatcherAsync(ITestDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false;Application Name=test-lock-watcher");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The application_name of each session holding (or, not <paramref name="granted"/>, waiting for) <paramref name="key"/>.</summary>
    private static async Task<IReadOnlyList<string>> AdvisorySessionsAsync(NpgsqlConnection connection, long key, bool granted) =>
        [.. await connection.QueryAsync<string>(
            """
            SELECT a.application_name
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted = @Granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::text::bigint = @High AND l.objid::text::bigint = @Low AND l.objsubid = 1
            """,
            // A bigint key shows as two oids: its high half in classid, its low half in objid (objsubid 1).
            new { Granted = granted, High = key >>> 32, Low = key & 0xFFFF_FFFFL })];

    /// <summary>The application_name of each session waiting for a lock on <paramref name="table"/>.</summary>
    private static async Task<IReadOnlyList<string>> TableWaitersAsync(NpgsqlConnection connection, string table) =>
        [.. await connection.QueryAsync<string>(
            """
            SELECT a.application_name
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND NOT l.granted AND l.relation = @Table::regclass
            """,
            new { Table = table })];

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
