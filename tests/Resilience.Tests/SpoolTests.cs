using System.Globalization;
using System.Net;
using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Grpc.Net.Client;
using Phase = CleanChat.Resilience.Tests.CallbackLoad.Phase;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// The webhook node's spool, with the hosts as real processes on a PostgreSQL server of the test's own: stopped hard,
/// frozen, down at start, and nodes killed while their spool holds callbacks. Every callback answered OK must end up
/// in the log exactly once, and every answer must come within the 2 s Tencent waits.
/// </summary>
public sealed class SpoolTests : IDisposable
{
    private const string Token = "spool-token";
    private const string SpoolingLine = "callbacks go to the spool";
    private const string DrainedLine = "The spool is empty again";
    private static readonly TimeSpan TencentWaits = TimeSpan.FromSeconds(2);

    private readonly TemporaryPostgresDatabase _database = TemporaryPostgresDatabase.OnItsOwnServer();
    private readonly List<HostProcess> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _database.Dispose();
    }

    private PostgresServer Server => _database.Server;

    [SkippableFact]
    public async Task A_hard_stop_under_load_on_three_nodes_is_answered_ok_in_time_and_every_callback_stored_once_and_streamed_in_order()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => StartNode()).ToList();
        var grpc = Track(HostProcess.StartGrpcApi(_database, out var metrics));
        await Task.WhenAll(nodes.Select(n => n.WaitUntilServingAsync()).Append(grpc.WaitUntilServingAsync(metrics)));
        var warmedUp = await WarmUpAsync(nodes, Logs);
        using var channel = GrpcChannel.ForAddress(grpc.Address);
        await using var watch = WatchRecorder.Start(channel, new WatchWebhookEventsRequest(), resumeOn: channel);
        var clients = nodes.Select(Client).ToList();
        var load = new CallbackLoad(clients, n => TencentCallback.Destroyed($"@TOA#_stop_{n}", TencentSample.EventTime + n, owner: $"owner_{n % 97}"));
        var sending = load.RunAsync(senders: 6);

        await Waits.WithinAsync(load.WhenAsync(30, d => d.Answer?.IsOk == true), "30 OK answers before the stop", Logs);
        load.Current = Phase.Stopping;
        await Server.StopAsync(immediate: true);
        load.Current = Phase.Down;
        await Waits.WithinAsync(Task.WhenAll(nodes.Select(n => n.WhenLoggedAsync(SpoolingLine))), "every node to log that it spools", Logs);
        await Waits.WithinAsync(EachNode(load, nodes.Count, 10, d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down && d.Answer?.IsOk == true),
            "10 OK answers from each node to callbacks sent while PostgreSQL was down", Logs);
        var readyDuring = await Task.WhenAll(clients.Select(c => c.GetStatusAsync("/readyz")));
        load.Current = Phase.Starting;
        await Server.StartAsync();
        load.Current = Phase.Back;
        await Waits.WithinAsync(Task.WhenAll(nodes.Select(n => n.WhenLoggedAsync(DrainedLine))), "every node to drain its spool", Logs);
        await Waits.WithinAsync(EachNode(load, nodes.Count, 10, d => d.SentIn == Phase.Back && d.Answer?.IsOk == true),
            "10 OK answers from each node after the drain", Logs);
        load.Stop();
        await Waits.WithinAsync(sending, "the senders to finish", Logs);
        await Task.WhenAll(nodes.Select(n => WaitForEmptySpoolAsync(n, Logs)));

        var deliveries = load.Deliveries;
        var notOk = deliveries.Where(d => d.Answer?.IsOk != true).ToList();
        Assert.True(notOk.Count == 0,
            $"{notOk.Count} of {deliveries.Count} callbacks not answered OK within {TencentWaits.TotalSeconds} s, e.g. {string.Join("; ", notOk.Take(5))}\n{Logs()}");
        Assert.All(readyDuring, status => Assert.Equal(HttpStatusCode.OK, status));
        var stored = StoredEvents();
        AssertEachStoredOnce([.. warmedUp, .. deliveries.Select(d => d.Account)], stored, Logs);
        await Waits.WithinAsync(watch.ReceivedThroughAsync(stored[^1].Sequence), $"the watch to stream sequence {stored[^1].Sequence} ({watch.Describe()})", Logs);
        Assert.Equal(stored.Select(s => s.Sequence), watch.Events.Select(e => e.Sequence));
        // The fold: each account is destroyed, by its only callback, with that callback's owner and sequence.
        var accounts = _database.Rows<(string Account, string Owner, long LastSequence)>(
            "SELECT official_account, owner_account, last_event_sequence FROM official_accounts WHERE state = 2").ToDictionary(a => a.Account);
        Assert.Equal(stored.Count, accounts.Count);
        Assert.All(stored, s => Assert.Equal(s.Sequence, accounts[s.Account].LastSequence));

        string Logs() => HostProcess.LogsOf([.. nodes.Select((n, i) => ($"WebhookApi {i}", n)), ("GrpcApi", grpc)]);
    }

    [SkippableFact]
    public async Task A_database_frozen_past_the_commit_budget_is_answered_ok_in_time_from_the_spool_and_each_callback_stored_once_after()
    {
        var node = StartNode();
        await node.WaitUntilServingAsync();
        var warmedUp = await WarmUpAsync([node], Logs);
        using var client = Client(node);
        var load = new CallbackLoad([client], n => TencentCallback.Destroyed($"@TOA#_frozen_{n}", TencentSample.EventTime + n));
        var sending = load.RunAsync(senders: 4);

        await Waits.WithinAsync(load.WhenAsync(20, d => d.Answer?.IsOk == true), "20 OK answers before the freeze", Logs);
        load.Current = Phase.Stopping;
        Server.Freeze();
        try
        {
            load.Current = Phase.Down;
            // The commit in flight when the server froze runs out of its budget: the node spools from then on.
            await Waits.WithinAsync(node.WhenLoggedAsync(SpoolingLine), "the node to log that it spools", Logs);
            await Waits.WithinAsync(load.WhenAsync(30, d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down && d.Answer?.IsOk == true),
                "30 OK answers to callbacks sent while the server was frozen", Logs);
        }
        finally
        {
            load.Current = Phase.Starting;
            Server.Thaw();
        }

        load.Current = Phase.Back;
        await DrainedAsync(node, Logs);
        await Waits.WithinAsync(load.WhenAsync(10, d => d.SentIn == Phase.Back && d.Answer?.IsOk == true), "10 OK answers after the drain", Logs);
        load.Stop();
        await Waits.WithinAsync(sending, "the senders to finish", Logs);
        await WaitForEmptySpoolAsync(node, Logs);

        var deliveries = load.Deliveries;
        var notOk = deliveries.Where(d => d.Answer?.IsOk != true).ToList();
        Assert.True(notOk.Count == 0,
            $"{notOk.Count} of {deliveries.Count} callbacks not answered OK within {TencentWaits.TotalSeconds} s, e.g. {string.Join("; ", notOk.Take(5))}\n{Logs()}");
        AssertEachStoredOnce([.. warmedUp, .. deliveries.Select(d => d.Account)], StoredEvents(), Logs);

        string Logs() => HostProcess.LogsOf(("WebhookApi", node));
    }

    [SkippableFact]
    public async Task A_node_killed_while_its_spool_holds_callbacks_drains_them_all_once_when_started_again()
    {
        var node = StartNode();
        await node.WaitUntilServingAsync();
        await Server.StopAsync(immediate: true);
        var accounts = Enumerable.Range(1, 40).Select(i => $"@TOA#_killed_{i}").ToList();
        await PostEachOkAsync(node, accounts, () => Logs(node));

        await node.KillAsync();
        await Server.StartAsync();
        var again = Track(node.StartAgain());
        await again.WaitUntilServingAsync();
        await DrainedAsync(again, () => Logs(again));

        AssertEachStoredOnce(accounts, StoredEvents(), () => Logs(again));

        static string Logs(HostProcess host) => HostProcess.LogsOf(("WebhookApi", host));
    }

    [SkippableFact]
    public async Task A_node_killed_in_the_middle_of_a_drain_drains_again_when_started_and_stores_each_callback_once()
    {
        // Locks are waited for as long as the settings allow, so that what waits for the commit lock stays there.
        var node = StartNode(("Storage__Spool__DrainBatchSize", "25"), ("Storage__BusyTimeoutMs", "30000"));
        await node.WaitUntilServingAsync();
        var accounts = Enumerable.Range(1, 100).Select(i => $"@TOA#_drain_{i}").ToList();
        using (PostgresLocks.Hold(_database, PostgresLocks.CommitLockKey))
        {
            // The first commit waits for the lock past its budget and is spooled; every callback after it is spooled.
            await PostEachOkAsync(node, accounts, () => Logs(node));
            // Two of the node's sessions wait for the lock with their batches sent: the commit given up on, and a drain.
            await PostgresLocks.WaitForWaitersAsync(_database, PostgresLocks.CommitLockKey, count: 2, applicationName: null, Waits.Patience);
            await node.KillAsync();
        }

        var again = Track(node.StartAgain());
        await again.WaitUntilServingAsync();
        await DrainedAsync(again, () => Logs(again));

        AssertEachStoredOnce(accounts, StoredEvents(), () => Logs(again));

        static string Logs(HostProcess host) => HostProcess.LogsOf(("WebhookApi", host));
    }

    [SkippableFact]
    public async Task A_node_started_while_the_database_is_down_is_ready_takes_callbacks_into_its_spool_and_migrates_and_drains_when_it_answers()
    {
        await Server.StopAsync(immediate: true);
        var node = StartNode();
        await node.WaitUntilServingAsync();
        using var client = new WebhookClient(node.Address, Token);
        var ready = await client.GetReadinessAsync();
        var accounts = Enumerable.Range(1, 20).Select(i => $"@TOA#_early_{i}").ToList();
        await PostEachOkAsync(node, accounts, Logs);

        await Server.StartAsync();
        await DrainedAsync(node, Logs);

        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.StartsWith("Degraded", ready.Body, StringComparison.Ordinal);
        Assert.Contains("spool", ready.Body, StringComparison.Ordinal);
        Assert.Contains("The database answers again: migrations and state replay ran", node.Output, StringComparison.Ordinal);
        AssertEachStoredOnce(accounts, StoredEvents(), Logs);
        Assert.StartsWith("Healthy", (await client.GetReadinessAsync()).Body, StringComparison.Ordinal);

        string Logs() => HostProcess.LogsOf(("WebhookApi", node));
    }

    [SkippableFact]
    public async Task A_delivery_spooled_on_one_node_and_committed_by_another_is_stored_once()
    {
        // Node A cannot reach the server (a port nothing listens on), node B can: a Tencent retry that reached both.
        var unreachable = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = LoopbackPorts.Free() }.ConnectionString;
        var spool = TestSpools.NewPath();
        var a = StartNode(("ConnectionStrings__CleanChat", unreachable), ("Storage__Spool__Path", spool));
        var b = StartNode();
        await Task.WhenAll(a.WaitUntilServingAsync(), b.WaitUntilServingAsync());
        var accounts = Enumerable.Range(1, 10).Select(i => $"@TOA#_both_{i}").ToList();
        await PostEachOkAsync(a, accounts, Logs);
        await PostEachOkAsync(b, accounts, Logs);
        Assert.Contains("Spooled", a.Output, StringComparison.Ordinal);
        Assert.Equal(accounts.Count, StoredEvents().Count);

        await a.TerminateAsync();
        var fixedA = StartNode(("Storage__Spool__Path", spool));
        await fixedA.WaitUntilServingAsync();
        await DrainedAsync(fixedA, Logs);

        AssertEachStoredOnce(accounts, StoredEvents(), Logs);

        string Logs() => HostProcess.LogsOf(("WebhookApi A", a), ("WebhookApi B", b));
    }

    [SkippableFact]
    public async Task A_full_spool_answers_500_and_every_callback_answered_ok_is_stored_once_after()
    {
        var node = StartNode(("Storage__Spool__MaxBytes", (1 << 20).ToString(CultureInfo.InvariantCulture)), ("Webhook__MaxBodyBytes", "262144"));
        await node.WaitUntilServingAsync();
        await Server.StopAsync(immediate: true);
        using var client = new WebhookClient(node.Address, Token);
        var padding = new string('x', 200_000);
        var answers = new List<(string Account, WebhookClient.Answer Answer)>();
        for (var i = 1; answers.Count == 0 || answers[^1].Answer.IsOk; i++)
        {
            Assert.True(i < 20, $"a 1 MiB spool took {i} callbacks of 200 KB\n{Logs()}");
            var account = $"@TOA#_full_{i}";
            // An extra field Tencent might add: kept in the raw body, ignored by validation.
            var callback = TencentCallback.Destroyed(account, TencentSample.EventTime);
            answers.Add((account, await client.PostAsync(callback with { Body = callback.Body.Insert(1, $"\"Padding\":\"{padding}\",") })));
        }

        var refused = await client.GetReadinessAsync();
        await Server.StartAsync();
        await DrainedAsync(node, Logs);

        Assert.True(answers[^1].Answer.IsStorageFailure, $"the callback that did not fit: {answers[^1].Answer}\n{Logs()}");
        Assert.Contains("Storage:Spool:MaxBytes", answers[^1].Answer.ErrorInfo + node.Output, StringComparison.Ordinal);
        Assert.True(answers.Count >= 3, $"only {answers.Count - 1} callbacks of 200 KB fitted in 1 MiB\n{Logs()}");
        AssertEachStoredOnce(answers.SkipLast(1).Select(a => a.Account).ToList(), StoredEvents(), Logs);
        Assert.Equal(HttpStatusCode.OK, refused.Status); // a full spool still takes smaller callbacks

        string Logs() => HostProcess.LogsOf(("WebhookApi", node));
    }

    [SkippableFact]
    public async Task A_spool_on_a_full_file_system_answers_500_and_takes_callbacks_again_once_there_is_room()
    {
        Prerequisite.Require(Environment.UserName == "root", "Mounting a small tmpfs to fill needs root.");
        var folder = Path.Combine(Path.GetTempPath(), $"cleanchat-spool-disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        FileSystems.MountSmall(folder);
        try
        {
            var node = StartNode(("Storage__Spool__Path", Path.Combine(folder, "spool.db")));
            await node.WaitUntilServingAsync();
            await Server.StopAsync(immediate: true);
            using var client = new WebhookClient(node.Address, Token);
            var before = await client.PostAsync(TencentCallback.Destroyed("@TOA#_disk_before", TencentSample.EventTime));
            var filler = Path.Combine(folder, "filler");
            FileSystems.Fill(filler);

            var during = await client.PostAsync(TencentCallback.Destroyed("@TOA#_disk_during", TencentSample.EventTime));
            var readyDuring = await client.GetReadinessAsync();
            File.Delete(filler);
            var retried = await client.PostAsync(TencentCallback.Destroyed("@TOA#_disk_during", TencentSample.EventTime));
            await Server.StartAsync();
            await DrainedAsync(node, Logs);

            Assert.True(before.IsOk, $"{before}\n{Logs()}");
            Assert.True(during.IsStorageFailure, $"{during}\n{Logs()}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuring.Status);
            Assert.Contains("cannot be written", readyDuring.Body, StringComparison.Ordinal);
            Assert.True(retried.IsOk, $"{retried}\n{Logs()}");
            AssertEachStoredOnce(["@TOA#_disk_before", "@TOA#_disk_during"], StoredEvents(), Logs);
            Assert.Equal(0, await node.TerminateAsync());

            string Logs() => HostProcess.LogsOf(("WebhookApi", node));
        }
        finally
        {
            // The node must be gone before its file system is unmounted.
            foreach (var host in _hosts)
            {
                host.Dispose();
            }

            _hosts.Clear();
            FileSystems.Unmount(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task A_second_node_given_the_same_spool_file_refuses_to_start_and_names_it()
    {
        var spool = TestSpools.NewPath();
        var first = StartNode(("Storage__Spool__Path", spool));
        await first.WaitUntilServingAsync();

        var second = StartNode(("Storage__Spool__Path", spool));
        var exitCode = await second.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"The spool file '{spool}' (Storage:Spool:Path) is in use by another process", second.Output, StringComparison.Ordinal);
        using var client = new WebhookClient(first.Address, Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetReadinessAsync()).Status);
    }

    [SkippableFact]
    public async Task A_damaged_spool_file_stops_the_node_with_a_message_naming_it_and_is_left_in_place()
    {
        var spool = TestSpools.NewPath();
        Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
        await File.WriteAllTextAsync(spool, "not a database, but it may be someone's callbacks");

        var node = StartNode(("Storage__Spool__Path", spool));
        var exitCode = await node.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"The spool file '{spool}' (Storage:Spool:Path) is damaged", node.Output, StringComparison.Ordinal);
        Assert.Equal("not a database, but it may be someone's callbacks", await File.ReadAllTextAsync(spool));
    }

    private HostProcess StartNode(params (string Key, string Value)[] settings) =>
        Track(HostProcess.StartWebhookApi(_database, [("Webhook__Token", Token), .. settings]));

    private HostProcess Track(HostProcess host)
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>A client that takes an answer slower than Tencent's 2 s as none, for the load while the database is away.</summary>
    private static WebhookClient Client(HostProcess node) => new(node.Address, Token, TencentWaits);

    /// <summary>Posts each callback once and requires an OK (the load tests hold answers to Tencent's 2 s).</summary>
    private static async Task PostEachOkAsync(HostProcess node, IEnumerable<string> accounts, Func<string> logs)
    {
        using var client = new WebhookClient(node.Address, Token);
        foreach (var account in accounts)
        {
            var answer = await client.PostAsync(TencentCallback.Destroyed(account, TencentSample.EventTime));
            Assert.True(answer.IsOk, $"{account}: {answer}\n{logs()}");
        }
    }

    /// <summary>
    /// One callback to each node, answered OK however long it takes: a node's first callback also compiles its code and
    /// opens its first connection, which on a busy machine can take longer than 2 s and is not what the 2 s is about.
    /// </summary>
    private static async Task<List<string>> WarmUpAsync(List<HostProcess> nodes, Func<string> logs)
    {
        var accounts = new List<string>();
        for (var i = 0; i < nodes.Count; i++)
        {
            using var patient = new WebhookClient(nodes[i].Address, Token);
            var account = $"@TOA#_warm_up_{i}";
            var answer = await patient.PostAsync(TencentCallback.Destroyed(account, TencentSample.EventTime));
            Assert.True(answer.IsOk, $"warm-up of node {i}: {answer}\n{logs()}");
            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>Until the node logs that its spool is empty again: the drain's own word that it is done.</summary>
    private static Task DrainedAsync(HostProcess node, Func<string> logs) =>
        Waits.WithinAsync(node.WhenLoggedAsync(DrainedLine), "the node to drain its spool", logs);

    private static Task EachNode(CallbackLoad load, int nodes, int count, Func<CallbackLoad.Delivery, bool> matches) =>
        Task.WhenAll(Enumerable.Range(0, nodes).Select(node => load.WhenAsync(count, d => d.Node == node && matches(d))));

    /// <summary>Until the node's own gauge says its spool is empty: the server's word, not the client's.</summary>
    private static Task WaitForEmptySpoolAsync(HostProcess node, Func<string> logs) =>
        Waits.UntilAsync(async () => await ServerMetrics.SumAsync(node.Address, "cleanchat_spool_depth") == 0, "the spool to be empty", logs);

    private List<StoredEvent> StoredEvents() =>
        [.. _database.Rows<StoredEvent>("SELECT sequence AS Sequence, official_account AS Account FROM webhook_events ORDER BY sequence")];

    private static void AssertEachStoredOnce(List<string> answeredOk, List<StoredEvent> stored, Func<string> logs)
    {
        var counts = stored.CountBy(s => s.Account).ToDictionary();
        var wrong = answeredOk.Distinct().Where(a => counts.GetValueOrDefault(a) != 1).ToList();
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {answeredOk.Count} callbacks answered OK not stored exactly once, e.g. " +
            string.Join(", ", wrong.Take(5).Select(a => $"{a} ({counts.GetValueOrDefault(a)})")) + $"\n{logs()}");
        Assert.Equal(answeredOk.Distinct().Count(), stored.Count);
    }

    private sealed record StoredEvent(long Sequence, string Account);
}
