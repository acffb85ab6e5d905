using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// WebhookApi killed (SIGKILL) while its retention job archives and deletes a backlog, at several points of the run,
/// then started again until the backlog is gone: nothing lost, nothing archived twice, the floor always consistent. On
/// SQLite, and on a PostgreSQL server of the test class's own.
/// </summary>
public abstract class RetentionCrashTests : IDisposable
{
    private const int Backlog = 6_000;
    private const int BatchSize = 100;

    /// <summary>The node's sessions on PostgreSQL, by name, so the test can see them end.</summary>
    private const string NodeName = "retention-crash-node";

    private readonly string _archive = Directory.CreateTempSubdirectory("cleanchat-archive-").FullName;

    protected RetentionCrashTests(ITestDatabase database) => Database = database;

    protected ITestDatabase Database { get; }

    public void Dispose()
    {
        Database.Dispose();
        Directory.Delete(_archive, recursive: true);
        GC.SuppressFinalize(this);
    }

    private HostProcess Start(bool retention = true) => HostProcess.StartWebhookApi(Database,
    [
        ("ConnectionStrings__CleanChat", Database.Engine == TestDatabases.Postgres ? Database.ConnectionString + $";Application Name={NodeName}" : Database.ConnectionString),
        .. retention
            ? (IEnumerable<(string, string)>)[
                ("Retention__MaxAge", RetentionBacklog.MaxAge), ("Retention__ArchivePath", _archive), ("Retention__IntervalSeconds", "1"),
                ("Retention__BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]
            : [],
    ]);

    private int Confirmed() => Directory.GetFiles(_archive, "*.manifest.json").Length;

    [SkippableFact]
    public async Task A_sigkill_anywhere_in_a_retention_run_loses_nothing_and_archives_nothing_twice()
    {
        using (var first = Start(retention: false))
        {
            await first.WaitUntilServingAsync(); // migrated
            await KillAsync(first);
        }

        RetentionBacklog.Seed(Database, Backlog);

        // Each kill lands later in the run, so at a different step of some batch: writing, confirming or deleting.
        foreach (var confirmedBeforeKill in new[] { 1, 7, 19, 33 })
        {
            using var host = Start();
            string Logs() => HostProcess.LogsOf(("WebhookApi", host));
            await Waits.UntilAsync(() => Task.FromResult(Confirmed() >= confirmedBeforeKill),
                $"{confirmedBeforeKill} confirmed archive ranges", Logs, TimeSpan.FromSeconds(60));
            await KillAsync(host);
            AssertFloorConsistent();
        }

        using (var last = Start())
        {
            await Waits.UntilAsync(() => Task.FromResult(Database.CountEvents() == 0),
                "the whole backlog removed", () => HostProcess.LogsOf(("WebhookApi", last)), TimeSpan.FromSeconds(120));
            await KillAsync(last);
        }

        AssertFloorConsistent();
        RetentionBacklog.AssertArchived(_archive, Backlog);
        Assert.Equal(Backlog + 1, Database.Scalar<long>("SELECT first_sequence FROM retention_floor"));
    }

    /// <summary>
    /// SIGKILL, then on PostgreSQL until the server has ended the node's sessions: a statement the node sent just before
    /// it died (a COMMIT of its delete) may still complete on the server, and the test reads what is final.
    /// </summary>
    private async Task KillAsync(HostProcess host)
    {
        await host.KillAsync();
        if (Database.Engine == TestDatabases.Postgres)
        {
            await Waits.UntilAsync(
                () => Task.FromResult(Database.Scalar<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @Name", new { Name = NodeName }) == 0),
                "the killed node's sessions to end on the server", () => HostProcess.LogsOf(("WebhookApi", host)));
        }
    }

    /// <summary>Below the floor nothing is left; from it up every event is still there.</summary>
    private void AssertFloorConsistent()
    {
        var (floor, below, held) = RetentionBacklog.Floor(Database);
        Assert.Equal(0, below);
        Assert.Equal(Backlog - floor + 1, held);
    }
}

public sealed class SqliteRetentionCrashTests() : RetentionCrashTests(new TemporaryDatabase());

public sealed class PostgresRetentionCrashTests() : RetentionCrashTests(TemporaryPostgresDatabase.OnItsOwnServer());
