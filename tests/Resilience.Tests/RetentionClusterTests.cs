using System.Globalization;
using System.Text.RegularExpressions;
using CleanChat.TestSupport;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// Three WebhookApi processes with retention on, on one PostgreSQL server of the test's own, over a backlog of old
/// events and a steady stream of callbacks. The job is handed from node to node (the node running it is stopped in the
/// middle of a run) and each hand-over is arranged from the server's own evidence: who holds the job's lock, who waits
/// at the floor's row. Afterwards every old event was archived exactly once and deleted, every callback taken is still
/// there, and what the nodes say they archived adds up to the backlog: no two runs overlapped.
/// </summary>
public sealed partial class RetentionClusterTests : IDisposable
{
    private const int Backlog = 3_000;
    private const int BatchSize = 100;
    private const int Nodes = 3;
    private const string StoppingLine = "Retention job stopping: a run in progress ends after the batch it is on";

    private readonly TemporaryPostgresDatabase _database = TemporaryPostgresDatabase.OnItsOwnServer();
    private readonly string _archive = Directory.CreateTempSubdirectory("cleanchat-archive-").FullName;
    private readonly List<HostProcess> _started = [];
    private readonly ITestOutputHelper _output;

    public RetentionClusterTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        foreach (var host in _started)
        {
            host.Dispose();
        }

        _database.Dispose();
        Directory.Delete(_archive, recursive: true);
    }

    [SkippableFact]
    public async Task Nodes_run_the_job_one_at_a_time_each_range_is_archived_once_and_ingest_goes_on()
    {
        using (var first = HostProcess.StartWebhookApi(_database))
        {
            await first.WaitUntilServingAsync(); // migrated
            Assert.Equal(0, await first.TerminateAsync());
        }

        RetentionBacklog.Seed(_database, Backlog);
        await using var jobLock = await SessionAsync("test-job-lock");
        await jobLock.ExecuteAsync("SELECT pg_advisory_lock(@Key)", new { Key = PostgresLocks.RetentionLockKey });
        var nodes = Enumerable.Range(1, Nodes).Select(StartNode).ToArray();
        await Task.WhenAll(nodes.Select(n => n.WaitUntilServingAsync()));
        // Every node's job is on, and meets the lock the test holds.
        await Waits.UntilAsync(
            async () => (await Task.WhenAll(nodes.Select(n => ServerMetrics.SumAsync(n.Address, "cleanchat_retention_runs_total", "outcome=\"skipped\"")))).All(s => s >= 1),
            "every node's retention run to find the job taken", Logs);
        await using var ingest = Ingest.Start(nodes);

        // Twice: a node takes the job, archives its first batch and waits at the delete for the floor's row, which the
        // test holds; the test stops that node there, and queues for the job's lock behind it, so no other node can
        // take the job before the test hands it on; then lets the node finish its batch, stop, and starts it again.
        for (var handover = 0; handover < 2; handover++)
        {
            await using var floorRow = await SessionAsync("test-floor-row");
            await using var rowLock = await floorRow.BeginTransactionAsync();
            await floorRow.ExecuteAsync("SELECT first_sequence FROM retention_floor WHERE id = 1 FOR UPDATE", transaction: rowLock);
            var rowHolder = await floorRow.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: rowLock);
            await jobLock.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = PostgresLocks.RetentionLockKey });

            var runnerName = await BlockedAtTheFloorAsync(rowHolder);
            var runner = nodes.Single(n => NodeName(Array.IndexOf(nodes, n) + 1) == runnerName);
            Assert.Equal(new[] { runnerName }, await PostgresLocks.HoldersAsync(_database, PostgresLocks.RetentionLockKey));
            await ingest.LeaveAsync(runner);
            // The job's own line: its stop was requested, so its run ends after this batch.
            var stopping = runner.WhenLoggedAsync(StoppingLine);
            await runner.SignalTerminateAsync();
            await Waits.WithinAsync(stopping, $"{runnerName}'s retention job to be told to stop", Logs);
            var queued = jobLock.ExecuteAsync("SELECT pg_advisory_lock(@Key)", new { Key = PostgresLocks.RetentionLockKey });
            await PostgresLocks.WaitForWaitersAsync(_database, PostgresLocks.RetentionLockKey, 1, "test-job-lock", Waits.Patience);
            await rowLock.RollbackAsync();
            await Waits.WithinAsync(queued, $"{runnerName} to finish its batch and hand the job on", Logs);

            Assert.Equal(0, await runner.WaitForExitAsync());
            Assert.Equal(new List<(int, int)> { (BatchSize, BatchSize) }, Runs(runner));
            Assert.Equal((handover + 1L) * BatchSize + 1, RetentionBacklog.Floor(_database).Floor);
            var again = runner.StartAgain();
            _started.Add(again);
            nodes[Array.IndexOf(nodes, runner)] = again;
            await again.WaitUntilServingAsync();
            await ingest.JoinAsync(again);
        }

        await jobLock.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = PostgresLocks.RetentionLockKey });
        await Waits.UntilAsync(() => Task.FromResult(RetentionBacklog.Floor(_database).Floor == Backlog + 1),
            "the rest of the backlog archived and deleted", Logs, TimeSpan.FromSeconds(120));
        var taken = await ingest.StopAsync();
        foreach (var node in nodes)
        {
            Assert.Equal(0, await node.TerminateAsync());
        }

        var runs = _started.SelectMany(Runs).ToList();
        _output.WriteLine($"{taken} callbacks taken; runs (deleted, archived) by process: " +
            string.Join("; ", _started.Select((h, i) => $"{i + 1}: {string.Join(", ", Runs(h))}")));
        Assert.DoesNotContain(_started, h => h.Output.Contains("Retention run failed", StringComparison.Ordinal));
        Assert.Equal(Backlog, runs.Sum(r => r.Deleted));
        Assert.Equal(Backlog, runs.Sum(r => r.Archived));
        Assert.True(_started.Count(h => Runs(h).Count > 0) >= 3, Logs());
        RetentionBacklog.AssertArchived(_archive, Backlog);
        Assert.True(taken > 0);
        Assert.Equal((Backlog + 1L, 0L, taken), RetentionBacklog.Floor(_database));
        Assert.Equal(taken, _database.Scalar<long>("SELECT COUNT(DISTINCT official_account) FROM webhook_events WHERE official_account LIKE '@TOA#_live_%'"));
    }

    private string Logs() => HostProcess.LogsOf([.. _started.Select((h, i) => ($"process {i + 1}", h))]);

    private static string NodeName(int node) => string.Create(CultureInfo.InvariantCulture, $"retention-node-{node}");

    private HostProcess StartNode(int node)
    {
        var host = HostProcess.StartWebhookApi(_database,
            ("ConnectionStrings__CleanChat", _database.ConnectionString + $";Application Name={NodeName(node)}"),
            ("Retention__MaxAge", RetentionBacklog.MaxAge), ("Retention__ArchivePath", _archive),
            ("Retention__IntervalSeconds", "1"), ("Retention__BatchSize", BatchSize.ToString(CultureInfo.InvariantCulture)),
            // Without the spool an OK is a commit in PostgreSQL: what the test counts at the end. The writers wait for
            // the commit lock as long as a busy machine needs.
            ("Storage__Spool__Enabled", "false"), ("Storage__BusyTimeoutMs", "30000"));
        _started.Add(host);
        return host;
    }

    private async Task<NpgsqlConnection> SessionAsync(string name)
    {
        var connection = new NpgsqlConnection(_database.ConnectionString + $";Pooling=false;Application Name={name}");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The node whose session waits for the floor's row that <paramref name="rowHolder"/> holds: the one running the job.</summary>
    private async Task<string> BlockedAtTheFloorAsync(int rowHolder)
    {
        await using var watcher = await SessionAsync("test-watcher");
        string? blocked = null;
        await Waits.UntilAsync(async () =>
        {
            blocked = await watcher.QueryFirstOrDefaultAsync<string>(
                "SELECT application_name FROM pg_stat_activity WHERE @Holder = ANY(pg_blocking_pids(pid))", new { Holder = rowHolder });
            return blocked is not null;
        }, "a node's retention run to wait at the floor's row", Logs, TimeSpan.FromSeconds(30));
        return blocked!;
    }

    /// <summary>What each run of <paramref name="host"/>'s job that removed anything says it did (its "Retention deleted" line).</summary>
    private static List<(int Deleted, int Archived)> Runs(HostProcess host) =>
        [.. RunLine().Matches(host.Output).Select(m => (
            int.Parse(m.Groups["deleted"].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["archived"].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"Retention deleted (?<deleted>\d+) events \((?<archived>\d+) archived\)")]
    private static partial Regex RunLine();

    /// <summary>
    /// One callback at a time to the nodes in turn, each a new account, each answered OK, until stopped. A node leaves
    /// the turn between two callbacks, so none is sent to a node being stopped.
    /// </summary>
    private sealed class Ingest : IAsyncDisposable
    {
        private readonly SemaphoreSlim _turn = new(1, 1);
        private readonly List<(HostProcess Host, WebhookClient Client)> _nodes;
        private readonly CancellationTokenSource _stop = new();
        private Task<long>? _loop;

        private Ingest(IEnumerable<HostProcess> nodes) => _nodes = [.. nodes.Select(n => (n, new WebhookClient(n.Address)))];

        public static Ingest Start(IEnumerable<HostProcess> nodes)
        {
            var ingest = new Ingest(nodes);
            ingest._loop = Task.Run(ingest.RunAsync);
            return ingest;
        }

        public async Task LeaveAsync(HostProcess host)
        {
            await _turn.WaitAsync();
            try
            {
                var index = _nodes.FindIndex(n => n.Host == host);
                _nodes[index].Client.Dispose();
                _nodes.RemoveAt(index);
            }
            finally
            {
                _turn.Release();
            }
        }

        public async Task JoinAsync(HostProcess host)
        {
            await _turn.WaitAsync();
            try
            {
                _nodes.Add((host, new WebhookClient(host.Address)));
            }
            finally
            {
                _turn.Release();
            }
        }

        /// <summary>Stops after the callback in flight; returns how many were taken (each answered OK).</summary>
        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            return await _loop!;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
                try
                {
                    await _loop!;
                }
                catch (Exception)
                {
                    // The test failed already; this only stops the loop.
                }
            }

            foreach (var (_, client) in _nodes)
            {
                client.Dispose();
            }

            _stop.Dispose();
            _turn.Dispose();
        }

        private async Task<long> RunAsync()
        {
            var sent = 0L;
            while (!_stop.IsCancellationRequested)
            {
                await _turn.WaitAsync();
                try
                {
                    var account = string.Create(CultureInfo.InvariantCulture, $"@TOA#_live_{sent}");
                    var callback = TencentCallback.Destroyed(account, TencentSample.EventTime + sent);
                    // A FAIL (a commit that waited too long on a busy machine) is delivered again, as Tencent does.
                    var answers = new List<string>();
                    for (var attempt = 0; attempt < 5 && (answers.Count == 0 || answers[^1] != "OK"); attempt++)
                    {
                        var (host, client) = _nodes[(int)((sent + attempt) % _nodes.Count)];
                        var answer = await client.PostAsync(callback);
                        Assert.True(answer.IsOk || answer.IsStorageFailure, $"{account} to {host.Address}: {answer}");
                        answers.Add(answer.IsOk ? "OK" : answer.ToString());
                    }

                    Assert.True(answers[^1] == "OK", $"{account}: {string.Join(", ", answers)}");
                    sent++;
                }
                finally
                {
                    _turn.Release();
                }
            }

            return sent;
        }
    }
}
