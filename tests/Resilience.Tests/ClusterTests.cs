using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CleanChat.Contracts.V1;
using CleanChat.Infrastructure.Postgres;
using CleanChat.TestSupport;
using Grpc.Net.Client;
using Xunit.Abstractions;
using Phase = CleanChat.Resilience.Tests.CallbackLoad.Phase;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// CleanChat as a cluster: several WebhookApi and GrpcApi processes on one PostgreSQL server of the test's own, under a
/// load of signed callbacks, with a node killed or the server stopped hard under them. Each test checks the event log,
/// the watch and the account states against what was sent, straight from the database and over gRPC.
/// </summary>
public sealed partial class ClusterTests : IDisposable
{
    private const string Token = "cluster-test-token";

    /// <summary>Event times of the load: distinct per account, so each callback is a delivery of its own.</summary>
    private const long EventTimeBase = 1_700_000_000_000;

    /// <summary>The load's own deadline: a few thousand callbacks on a busy two-core machine.</summary>
    private static readonly TimeSpan LoadPatience = TimeSpan.FromSeconds(40);

    private readonly ITestOutputHelper _output;
    private readonly TemporaryPostgresDatabase _database = TemporaryPostgresDatabase.OnItsOwnServer();

    public ClusterTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _database.Dispose();

    private PostgresServer Server => _database.Server;

    private enum Redelivery
    {
        None,
        AtOnce,
        Later,
    }

    [SkippableFact]
    public async Task A_webhook_node_killed_with_its_batch_sent_to_postgresql_loses_nothing_each_delivery_is_stored_once_and_the_watch_streams_every_sequence_in_order()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        // The writers wait for the test's commit lock without giving up (lock_timeout) while the test kills the victim.
        // Without the spool: this is the direct path's crash safety (with it, the batches waiting for the lock would be
        // spooled after their budget; SpoolTests kills nodes whose spool holds callbacks).
        using var cluster = await Cluster.StartAsync(_database, webhookNodes: 3, grpcNodes: 1, ("Storage__BusyTimeoutMs", "30000"), SpoolOff);
        string Logs() => $"seed {seed}\n{cluster.Logs()}";
        await using var watch = WatchRecorder.Start(cluster.Channels[0], new WatchWebhookEventsRequest { AfterSequence = 0 });
        var warmUp = TencentCallback.Destroyed("@TOA#_warm_up", EventTimeBase);
        Assert.True((await cluster.Clients[0].PostAsync(warmUp)).IsOk, Logs());
        await Waits.WithinAsync(watch.WhenAsync(p => p.Received >= 1), "the watch to stream the first event", Logs);
        var plan = Plan(random, accounts: 1500, nodes: cluster.Clients.Count);
        var victim = random.Next(cluster.Clients.Count);
        var attempts = new ConcurrentQueue<Attempt>();
        var gaveUp = new ConcurrentQueue<(TencentCallback Callback, int Node)>();
        var killing = 0;
        var delivered = 0;
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // As Tencent's retry through a load balancer does: a request that gets no answer, or a FAIL, goes to another node.
        async Task SendUntilOkAsync(TencentCallback callback, int node)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var startedBeforeKill = Volatile.Read(ref killing) == 0;
                WebhookClient.Answer? answer = null;
                Exception? error = null;
                try
                {
                    answer = await cluster.Clients[node].PostAsync(callback);
                }
                catch (Exception e)
                {
                    error = e;
                }

                attempts.Enqueue(new Attempt(callback, node, startedBeforeKill, Volatile.Read(ref killing) == 1, answer, error));
                if (answer?.IsOk == true)
                {
                    return;
                }

                if (deadline.Elapsed > Waits.Patience)
                {
                    gaveUp.Enqueue((callback, node));
                    return;
                }

                node = (node + 1) % cluster.Clients.Count;
            }
        }

        var sending = Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (planned, _) =>
        {
            var (callback, redelivery, first, second) = planned;
            switch (redelivery)
            {
                case Redelivery.AtOnce:
                    await Task.WhenAll(SendUntilOkAsync(callback, first), SendUntilOkAsync(callback, second));
                    break;
                case Redelivery.Later:
                    await SendUntilOkAsync(callback, first);
                    await SendUntilOkAsync(callback, second);
                    break;
                default:
                    await SendUntilOkAsync(callback, first);
                    break;
            }

            if (Interlocked.Increment(ref delivered) == plan.Count * 2 / 5)
            {
                killNow.TrySetResult();
            }
        });
        await Waits.WithinAsync(killNow.Task, "two fifths of the load to be delivered", Logs, LoadPatience);
        // The victim's writer is made to wait inside PostgreSQL with a batch sent, first statement to last, when it is
        // killed: the batch may still commit after its node is gone, and its callers must retry elsewhere without storing
        // anything twice. Every other node's writer waits likewise, and goes on once the lock is released. A few callbacks
        // sent to the victim now give its writer that batch whichever nodes the load's own requests went to.
        var atKill = Enumerable.Range(0, 3).Select(i => TencentCallback.Created($"@TOA#_at_kill_{i}", EventTimeBase + 1 + i)).ToList();
        Task atKillSent;
        int deliveredAtKill;
        using (PostgresLocks.Hold(_database, PostgresLocks.CommitLockKey))
        {
            atKillSent = Task.WhenAll(atKill.Select(c => SendUntilOkAsync(c, victim)));
            await WaitForCommitLockWaiterAsync(Cluster.WebhookName(victim), Logs);
            Volatile.Write(ref killing, 1);
            await cluster.Webhooks[victim].KillAsync();
            deliveredAtKill = Volatile.Read(ref delivered);
        }

        await Waits.WithinAsync(Task.WhenAll(sending, atKillSent), "the rest of the load to be delivered", Logs, LoadPatience);
        var stored = StoredEvents();
        await Waits.WithinAsync(watch.ReceivedThroughAsync(stored[^1].Sequence),
            $"the watch to stream sequence {stored[^1].Sequence} ({watch.Describe()})", Logs);
        var accounts = await ListAccountsAsync(cluster.Channels[0]);

        var all = attempts.ToList();
        var failed = all.Where(a => a.Answer?.IsOk != true).ToList();
        var cutOff = failed.Count(a => a.Node == victim && a.BeforeKill);
        _output.WriteLine($"seed {seed}: {plan.Count} callbacks, {all.Count} requests, {failed.Count} unanswered or failed " +
            $"({cutOff} cut off on node {victim} when it was killed, after {deliveredAtKill} callbacks), {stored.Count} events stored, {accounts.Count} accounts");
        Assert.True(gaveUp.IsEmpty, $"{gaveUp.Count} deliveries not answered OK by any node within {Waits.Patience.TotalSeconds} s, e.g. " +
            $"{string.Join(", ", gaveUp.Take(5))}\n{Logs()}");
        var unexplained = failed.Where(a => a.Node != victim || !a.AfterKill).ToList();
        Assert.True(unexplained.Count == 0,
            $"{unexplained.Count} attempts failed on a node that was not killed, e.g. {string.Join("; ", unexplained.Take(5))}\n{Logs()}");
        // Its writer held a batch that could not commit before the kill, so the requests of that batch cannot have been answered.
        Assert.True(cutOff > 0, $"no request to node {victim} was cut off by the kill though its writer had a batch waiting in PostgreSQL\n{Logs()}");
        var sent = plan.Select(p => p.Callback).Concat(atKill).Prepend(warmUp).ToList();
        AssertStoredOnce(sent, stored, Logs);
        AssertStreamed(stored, watch, Logs);
        AssertFolded(sent, stored, accounts, Logs);
    }

    /// <summary>Waits until a session named <paramref name="node"/> waits for the commit lock: that node's writer has sent a batch.</summary>
    private async Task WaitForCommitLockWaiterAsync(string node, Func<string> logs)
    {
        try
        {
            await PostgresLocks.WaitForWaitersAsync(_database, PostgresLocks.CommitLockKey, count: 1, node, Waits.Patience);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}\n{logs()}");
        }
    }

    [SkippableFact]
    public async Task Nodes_starting_at_once_on_an_empty_database_apply_each_migration_once()
    {
        var scripts = typeof(PostgresMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/postgres/", StringComparison.Ordinal))
            .Select(n => n["migrations/postgres/".Length..])
            .Order(StringComparer.Ordinal)
            .ToList();

        using var cluster = await Cluster.StartAsync(_database, webhookNodes: 3, grpcNodes: 1);
        var answers = await Task.WhenAll(cluster.Clients.Select((c, i) => c.PostAsync($"@TOA#_node_{i}")));

        var logs = cluster.Logs();
        Assert.All(answers, a => Assert.True(a.IsOk, $"{a}\n{logs}"));
        Assert.Equal(cluster.Clients.Count, _database.CountEvents());
        var applied = cluster.Hosts.SelectMany(h => AppliedMigration().Matches(h.Output).Select(m => m.Groups[1].Value))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(applied.SequenceEqual(scripts),
            $"migrations applied across the {cluster.Hosts.Count} nodes: [{string.Join(", ", applied)}]; the build has [{string.Join(", ", scripts)}]\n{logs}");
        Assert.Equal(int.Parse(scripts[^1][..4], System.Globalization.CultureInfo.InvariantCulture),
            _database.Scalar<int>("SELECT version FROM cleanchat_schema"));
    }

    [SkippableFact]
    public async Task A_hard_stop_of_the_database_under_load_fails_every_node_and_each_recovers_by_itself_with_the_watch_in_order()
    {
        // With the spool off, as an operator may run it; with it on (the default) SpoolTests has the same stop answered OK.
        using var cluster = await Cluster.StartAsync(_database, webhookNodes: 3, grpcNodes: 1, SpoolOff);
        string Logs() => cluster.Logs();
        await using var watch = WatchRecorder.Start(cluster.Channels[0], new WatchWebhookEventsRequest { AfterSequence = 0 });
        var nodes = Enumerable.Range(0, cluster.Clients.Count).ToList();
        var load = new CallbackLoad(cluster.Clients, MixedCallback);
        var sending = load.RunAsync(senders: 3 * cluster.Clients.Count);
        Task EachNode(int count, Func<CallbackLoad.Delivery, bool> matches) =>
            Task.WhenAll(nodes.Select(n => load.WhenAsync(count, d => d.Node == n && matches(d))));

        await Waits.WithinAsync(EachNode(10, d => d.Answer?.IsOk == true), "10 OK answers from each node before the stop", Logs);
        await Waits.WithinAsync(watch.WhenAsync(p => p.Received >= 10), "the watch to stream 10 events", Logs);
        load.Current = Phase.Stopping;
        await Server.StopAsync(immediate: true);
        load.Current = Phase.Down;
        await Waits.WithinAsync(EachNode(5, d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down),
            "5 answers from each node to callbacks sent and answered while PostgreSQL was down", Logs);
        var readyDuring = await cluster.ReadinessAsync();
        load.Current = Phase.Starting;
        await Server.StartAsync();
        load.Current = Phase.Back;
        await Waits.WithinAsync(EachNode(10, d => d.SentIn == Phase.Back && d.Answer?.IsOk == true),
            "10 OK answers from each node to callbacks sent after PostgreSQL was back", Logs);
        await Waits.UntilAsync(async () => (await cluster.ReadinessAsync()).All(s => s == HttpStatusCode.OK), "every node's /readyz to answer 200 again", Logs);
        load.Stop();
        await Waits.WithinAsync(sending, "the senders to finish", Logs);

        var deliveries = load.Deliveries;
        var unanswered = deliveries.Where(d => d.Answer is null).ToList();
        Assert.True(unanswered.Count == 0, $"{unanswered.Count} callbacks got no answer, e.g. {string.Join("; ", unanswered.Take(5))}\n{Logs()}");
        var unexpected = deliveries.Where(d => !d.Answer!.IsOk && !d.Answer.IsStorageFailure).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than OK and 500 FAIL: {string.Join("; ", unexpected.Take(5))}\n{Logs()}");
        var okWhileDown = deliveries.Where(d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down && !d.Answer!.IsStorageFailure).ToList();
        Assert.True(okWhileDown.Count == 0, $"answered while PostgreSQL was down, not with 500 FAIL: {string.Join("; ", okWhileDown.Take(5))}\n{Logs()}");
        Assert.True(readyDuring.All(s => s == HttpStatusCode.ServiceUnavailable),
            $"/readyz while PostgreSQL was down (webhook nodes, then the gRPC node): {string.Join(", ", readyDuring)}\n{Logs()}");
        foreach (var node in nodes)
        {
            var recovered = deliveries.Where(d => d.Node == node && d.SentIn == Phase.Back && d.Answer!.IsOk).Min(d => d.AnsweredAt);
            var relapses = deliveries.Where(d => d.Node == node && d.SentAt > recovered && !d.Answer!.IsOk).ToList();
            Assert.True(relapses.Count == 0, $"node {node} answered FAIL after it had answered OK again: {string.Join("; ", relapses.Take(5))}\n{Logs()}");
        }

        var storedBeforeRetries = StoredEvents().CountBy(s => (s.CallbackCommand, s.OfficialAccount, s.EventTime)).ToDictionary();
        var okNotStored = deliveries.Where(d => d.Answer!.IsOk).Select(d => d.Callback)
            .Where(c => storedBeforeRetries.GetValueOrDefault((c.Command, c.Account, c.EventTime)) != 1).ToList();
        _output.WriteLine($"{deliveries.Count} callbacks, {deliveries.Count(d => !d.Answer!.IsOk)} answered 500 FAIL, " +
            $"{deliveries.Count(d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down)} sent and answered while PostgreSQL was down");
        Assert.True(okNotStored.Count == 0,
            $"{okNotStored.Count} callbacks answered OK are not stored exactly once, e.g. {string.Join(", ", okNotStored.Take(5))}\n{Logs()}");

        // Tencent redelivers every FAIL: each is stored once, even one whose commit happened but could not be confirmed.
        foreach (var fail in deliveries.Where(d => !d.Answer!.IsOk))
        {
            var answer = await cluster.Clients[(fail.Node + 1) % cluster.Clients.Count].PostAsync(fail.Callback);
            Assert.True(answer.IsOk, $"redelivery of {fail.Callback}: {answer}\n{Logs()}");
        }

        var stored = StoredEvents();
        await Waits.WithinAsync(watch.ReceivedThroughAsync(stored[^1].Sequence),
            $"the watch to stream sequence {stored[^1].Sequence} ({watch.Describe()})", Logs);
        AssertStoredOnce(deliveries.Select(d => d.Callback).ToList(), stored, Logs);
        AssertStreamed(stored, watch, Logs);
        Assert.True(watch.StreamsAfter.SequenceEqual([0L]), $"the watch was opened again: {watch.Describe()}\n{Logs()}");
    }

    [SkippableFact]
    public async Task Watchers_of_a_grpc_node_killed_under_load_resume_with_their_last_sequence_and_miss_nothing()
    {
        using var cluster = await Cluster.StartAsync(_database, webhookNodes: 2, grpcNodes: 2);
        string Logs() => cluster.Logs();
        var load = new CallbackLoad(cluster.Clients, MixedCallback);
        var sending = load.RunAsync(senders: 4);
        var (a, b) = (cluster.Channels[0], cluster.Channels[1]);
        var created = new WatchWebhookEventsRequest { CallbackCommand = TencentSample.CreateCommand };
        var destroyed = new WatchWebhookEventsRequest { CallbackCommand = TencentSample.Command };
        // Two wait for the killed node to come back, two move to the other node; one of each follows one command only.
        var watchers = new (string Name, WatchRecorder Recorder, WatchWebhookEventsRequest Request)[]
        {
            ("every event, back on the restarted node", WatchRecorder.Start(a, new WatchWebhookEventsRequest(), resumeOn: a), new WatchWebhookEventsRequest()),
            ("creates, back on the restarted node", WatchRecorder.Start(a, created, resumeOn: a), created),
            ("every event, moved to the other node", WatchRecorder.Start(a, new WatchWebhookEventsRequest(), resumeOn: b), new WatchWebhookEventsRequest()),
            ("destroys, moved to the other node", WatchRecorder.Start(a, destroyed, resumeOn: b), destroyed),
        };
        try
        {
            string Progress() => string.Join("\n", watchers.Select(w => $"{w.Name}: {w.Recorder.Describe()}"));
            string LogsAndProgress() => $"{Progress()}\n{Logs()}";
            Task Each(Func<WatchRecorder.Progress, bool> condition, int from = 0) =>
                Task.WhenAll(watchers.Skip(from).Select(w => w.Recorder.WhenAsync(condition)));

            await Waits.WithinAsync(Each(p => p.Received >= 10), "every watcher to receive 10 events", LogsAndProgress);
            await cluster.Grpcs[0].KillAsync();
            await Waits.WithinAsync(Each(p => p.Breaks >= 1), "every watcher to see its stream break", LogsAndProgress);
            await Waits.WithinAsync(Each(p => p.Streams >= 2 && p.Received >= 20, from: 2),
                "the watchers that moved to receive events from the other node", LogsAndProgress);
            cluster.Restart(grpcNode: 0);
            await cluster.Grpcs[0].WaitUntilServingAsync(cluster.GrpcMetrics[0]);
            await Waits.WithinAsync(Each(p => p.Streams >= 2), "every watcher to receive events on its new stream", LogsAndProgress);
            var sentBefore = load.Deliveries.Count;
            await Waits.WithinAsync(load.WhenAsync(sentBefore + 20, _ => true), "20 more callbacks answered", LogsAndProgress);
            load.Stop();
            await Waits.WithinAsync(sending, "the senders to finish", LogsAndProgress);

            var notOk = load.Deliveries.Where(d => d.Answer?.IsOk != true).ToList();
            Assert.True(notOk.Count == 0, $"{notOk.Count} callbacks not answered OK, e.g. {string.Join("; ", notOk.Take(5))}\n{LogsAndProgress()}");
            var stored = StoredEvents();
            AssertStoredOnce(load.Deliveries.Select(d => d.Callback).ToList(), stored, LogsAndProgress);
            _output.WriteLine($"{load.Deliveries.Count} callbacks, {stored.Count} events stored\n{Progress()}");
            foreach (var (name, recorder, request) in watchers)
            {
                var matching = stored.Where(s => request.CallbackCommand.Length == 0 || s.CallbackCommand == request.CallbackCommand).ToList();
                await Waits.WithinAsync(recorder.ReceivedThroughAsync(matching[^1].Sequence),
                    $"{name} to stream sequence {matching[^1].Sequence}", LogsAndProgress);
                AssertStreamed(matching, recorder, LogsAndProgress, name);
                var received = recorder.Events;
                var resumedAfter = received.Select(e => e.Sequence).Prepend(0L).ToHashSet();
                Assert.True(recorder.StreamsAfter.Count >= 2 && recorder.StreamsAfter.All(resumedAfter.Contains),
                    $"{name} did not resume after a sequence it had received: {recorder.Describe()}\n{Logs()}");
            }
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                await watcher.Recorder.DisposeAsync();
            }
        }
    }

    /// <summary>The load of the fault tests: creates and destroys in turn, each for an account of its own.</summary>
    private static TencentCallback MixedCallback(int n) =>
        n % 2 == 0
            ? TencentCallback.Created($"@TOA#_load_{n}", EventTimeBase + n, owner: $"owner-{n % 7}")
            : TencentCallback.Destroyed($"@TOA#_load_{n}", EventTimeBase + n, owner: $"owner-{n % 7}");

    /// <summary>
    /// Each account gets one to three callbacks (created and destroyed in turn, from either, at rising event times, each
    /// with its own owner and name), sent in a random order, to a random node; a tenth are redelivered to another node
    /// at the same moment, another tenth after the first answer.
    /// </summary>
    private static List<Planned> Plan(Random random, int accounts, int nodes)
    {
        var plan = new List<Planned>();
        for (var a = 0; a < accounts; a++)
        {
            var account = $"@TOA#_cluster_{a}";
            var startsCreated = random.Next(2) == 0;
            var events = random.Next(1, 4);
            for (var k = 0; k < events; k++)
            {
                var eventTime = EventTimeBase + 1 + (a * 10L) + k;
                var callback = (k % 2 == 0) == startsCreated
                    ? TencentCallback.Created(account, eventTime, owner: $"owner-{k}", name: $"name-{k}")
                    : TencentCallback.Destroyed(account, eventTime, owner: $"owner-{k}", name: $"name-{k}");
                var roll = random.NextDouble();
                var redelivery = roll < 0.1 ? Redelivery.AtOnce : roll < 0.2 ? Redelivery.Later : Redelivery.None;
                var first = random.Next(nodes);
                plan.Add(new Planned(callback, redelivery, first, (first + 1 + random.Next(nodes - 1)) % nodes));
            }
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(plan));
        return plan;
    }

    private List<StoredEvent> StoredEvents() =>
        [.. _database.Rows<StoredEvent>("""
            SELECT sequence AS Sequence, callback_command AS CallbackCommand, official_account AS OfficialAccount, event_time AS EventTime
            FROM webhook_events ORDER BY sequence
            """)];

    /// <summary>Every callback sent is stored exactly once, and nothing else is.</summary>
    private static void AssertStoredOnce(IReadOnlyList<TencentCallback> sent, IReadOnlyList<StoredEvent> stored, Func<string> logs)
    {
        var counts = stored.GroupBy(s => (s.CallbackCommand, s.OfficialAccount, s.EventTime)).ToDictionary(g => g.Key, g => g.Count());
        var distinct = sent.Distinct().ToList();
        var wrong = distinct.Where(c => counts.GetValueOrDefault((c.Command, c.Account, c.EventTime)) != 1).ToList();
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {distinct.Count} callbacks not stored exactly once, e.g. " +
            string.Join(", ", wrong.Take(5).Select(c => $"{c} stored {counts.GetValueOrDefault((c.Command, c.Account, c.EventTime))} times")) + $"\n{logs()}");
        Assert.True(stored.Count == distinct.Count, $"{stored.Count} events stored for {distinct.Count} callbacks sent\n{logs()}");
    }

    /// <summary>The watch received exactly the stored events, each once, in sequence order: no gap, no repeat.</summary>
    private static void AssertStreamed(IReadOnlyList<StoredEvent> stored, WatchRecorder watch, Func<string> logs, string name = "the watch")
    {
        var streamed = watch.Events.Select(e => new StoredEvent(e.Sequence, e.CallbackCommand, e.OfficialAccount, e.EventTime.ToDateTimeOffset().ToUnixTimeMilliseconds())).ToList();
        if (streamed.SequenceEqual(stored))
        {
            return;
        }

        var at = streamed.Zip(stored).TakeWhile(p => p.First == p.Second).Count();
        Assert.Fail($"{name} differs from the log at position {at} of {stored.Count}: streamed " +
            $"{(at < streamed.Count ? streamed[at].ToString() : "nothing")}, stored {(at < stored.Count ? stored[at].ToString() : "nothing")} " +
            $"({watch.Describe()})\n{logs()}");
    }

    /// <summary>Each account's state is the fold of its callbacks in event-time order, whatever order they arrived in.</summary>
    private static void AssertFolded(IReadOnlyList<TencentCallback> sent, IReadOnlyList<StoredEvent> stored, IReadOnlyList<OfficialAccount> accounts, Func<string> logs)
    {
        var sequences = stored.ToDictionary(s => (s.CallbackCommand, s.OfficialAccount, s.EventTime), s => s.Sequence);
        var expected = sent.Distinct().GroupBy(c => c.Account).ToDictionary(g => g.Key, g =>
        {
            var history = g.OrderBy(c => c.EventTime).ToList();
            var last = history[^1];
            return new AccountState(
                last.IsCreate ? OfficialAccount.Types.State.Active : OfficialAccount.Types.State.Destroyed,
                last.Owner,
                last.Name,
                history.Where(c => c.IsCreate).Select(c => (long?)c.EventTime).Max(),
                last.IsCreate ? null : last.EventTime,
                last.EventTime,
                sequences[(last.Command, last.Account, last.EventTime)]);
        });
        var actual = accounts.ToDictionary(a => a.OfficialAccount_, a => new AccountState(
            a.State,
            a.OwnerAccount,
            a.Name,
            a.CreateTime?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            a.DestroyTime?.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            a.LastEventTime.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            a.LastEventSequence));

        var wrong = expected.Where(e => !actual.TryGetValue(e.Key, out var state) || state != e.Value).ToList();
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {expected.Count} accounts are not the fold of their callbacks, e.g.\n" +
            string.Join("\n", wrong.Take(5).Select(w =>
                $"{w.Key}: expected {w.Value}, stored {actual.GetValueOrDefault(w.Key)?.ToString() ?? "nothing"}; callbacks " +
                string.Join(", ", sent.Where(c => c.Account == w.Key).Distinct().OrderBy(c => c.EventTime).Select(c => $"{(c.IsCreate ? "create" : "destroy")} {c.EventTime}")))) +
            $"\n{logs()}");
        Assert.True(actual.Count == expected.Count, $"{actual.Count} accounts stored for {expected.Count} accounts sent\n{logs()}");
    }

    /// <summary>Every account of the sample app, over gRPC, page by page.</summary>
    private static async Task<List<OfficialAccount>> ListAccountsAsync(GrpcChannel channel)
    {
        var client = new OfficialAccountService.OfficialAccountServiceClient(channel);
        var accounts = new List<OfficialAccount>();
        var token = "";
        do
        {
            var page = await client.ListOfficialAccountsAsync(
                new ListOfficialAccountsRequest { SdkAppId = TencentSample.SdkAppId, PageSize = 1000, PageToken = token });
            accounts.AddRange(page.OfficialAccounts);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        return accounts;
    }

    [GeneratedRegex(@"Applying migration (\S+) to the")]
    private static partial Regex AppliedMigration();

    private static readonly (string Key, string Value) SpoolOff = ("Storage__Spool__Enabled", "false");

    private sealed record Planned(TencentCallback Callback, Redelivery Redelivery, int FirstNode, int SecondNode);

    /// <param name="BeforeKill">Whether the attempt was sent before the kill began.</param>
    /// <param name="AfterKill">Whether the kill had begun when the attempt was answered or failed.</param>
    private sealed record Attempt(TencentCallback Callback, int Node, bool BeforeKill, bool AfterKill, WebhookClient.Answer? Answer, Exception? Error)
    {
        public override string ToString() => $"{Callback} to node {Node}: {Answer?.ToString() ?? Error?.Message}";
    }

    private sealed record StoredEvent(long Sequence, string CallbackCommand, string OfficialAccount, long EventTime);

    private sealed record AccountState(
        OfficialAccount.Types.State State, string Owner, string Name, long? CreateTime, long? DestroyTime, long LastEventTime, long LastEventSequence);

    /// <summary>WebhookApi and GrpcApi processes on one database, webhook authentication on; every process is killed on dispose.</summary>
    private sealed class Cluster : IDisposable
    {
        private Cluster()
        {
        }

        public List<HostProcess> Webhooks { get; } = [];
        public List<WebhookClient> Clients { get; } = [];
        public List<HostProcess> Grpcs { get; } = [];
        public List<Uri> GrpcMetrics { get; } = [];
        public List<GrpcChannel> Channels { get; } = [];
        public IReadOnlyList<HostProcess> Hosts => [.. Webhooks, .. Grpcs];

        /// <summary>
        /// Starts every node at once and waits until each serves. Webhook node <c>i</c> connects as
        /// <see cref="WebhookName"/>(i), so that its sessions can be told apart on the server.
        /// </summary>
        /// <param name="webhookSettings">More settings for each webhook node.</param>
        public static async Task<Cluster> StartAsync(
            TemporaryPostgresDatabase database, int webhookNodes, int grpcNodes, params (string Key, string Value)[] webhookSettings)
        {
            var cluster = new Cluster();
            try
            {
                for (var i = 0; i < webhookNodes; i++)
                {
                    var named = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = WebhookName(i) };
                    var host = HostProcess.StartWebhookApi(
                        database, [("ConnectionStrings__CleanChat", named.ConnectionString), ("Webhook__Token", Token), .. webhookSettings]);
                    cluster.Webhooks.Add(host);
                    cluster.Clients.Add(new WebhookClient(host.Address, Token));
                }

                for (var i = 0; i < grpcNodes; i++)
                {
                    cluster.Grpcs.Add(HostProcess.StartGrpcApi(database, out var metrics));
                    cluster.GrpcMetrics.Add(metrics);
                    cluster.Channels.Add(GrpcChannel.ForAddress(cluster.Grpcs[^1].Address));
                }

                await Task.WhenAll(cluster.Webhooks.Select(h => h.WaitUntilServingAsync())
                    .Concat(cluster.Grpcs.Select((h, i) => h.WaitUntilServingAsync(cluster.GrpcMetrics[i]))));
                return cluster;
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }

        /// <summary>The application_name of webhook node <paramref name="node"/>'s PostgreSQL sessions.</summary>
        public static string WebhookName(int node) => $"cleanchat-webhook-{node}";

        /// <summary>Starts a gRPC node that exited again, on the same ports; its channel reconnects to it.</summary>
        public void Restart(int grpcNode)
        {
            var restarted = Grpcs[grpcNode].StartAgain();
            Grpcs[grpcNode].Dispose();
            Grpcs[grpcNode] = restarted;
        }

        /// <summary><c>/readyz</c> of each webhook node, then of each gRPC node.</summary>
        public async Task<HttpStatusCode[]> ReadinessAsync()
        {
            var webhooks = Clients.Select(c => c.GetStatusAsync("/readyz"));
            var grpcs = GrpcMetrics.Select(async m =>
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                using var response = await http.GetAsync(new Uri(m, "/readyz"));
                return response.StatusCode;
            });
            return await Task.WhenAll(webhooks.Concat(grpcs));
        }

        public string Logs() => HostProcess.LogsOf(
            [.. Webhooks.Select((h, i) => ($"WebhookApi node {i}", h)), .. Grpcs.Select((h, i) => ($"GrpcApi node {i}", h))]);

        public void Dispose()
        {
            foreach (var channel in Channels)
            {
                channel.Dispose();
            }

            foreach (var client in Clients)
            {
                client.Dispose();
            }

            foreach (var host in Hosts)
            {
                host.Dispose();
            }
        }
    }
}
