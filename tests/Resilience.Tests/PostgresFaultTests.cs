using System.Diagnostics;
using System.Net;
using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Phase = CleanChat.Resilience.Tests.CallbackLoad.Phase;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// The hosts as real processes on a PostgreSQL server of the test's own: stopped hard under them (as if it crashed)
/// and started again on the same port, or shared by two webhook nodes. Webhook authentication is on, so every
/// callback is signed as Tencent signs it.
/// </summary>
public sealed class PostgresFaultTests : IDisposable
{
    private const string Token = "postgres-fault-token";
    private const int Senders = 8;

    /// <summary>What GrpcApi's feed logs when it cannot read or listen.</summary>
    private const string FeedReadFailed = "Reading new events for watchers failed";

    private readonly TemporaryPostgresDatabase _database = TemporaryPostgresDatabase.OnItsOwnServer();

    public void Dispose() => _database.Dispose();

    private PostgresServer Server => _database.Server;

    [SkippableFact]
    public async Task A_hard_stop_under_load_answers_500_and_503_and_the_node_recovers_by_itself_with_every_ok_stored_once()
    {
        // With the spool off, as an operator may run it; SpoolTests has the same stop with the spool on (the default).
        using var host = HostProcess.StartWebhookApi(_database, ("Webhook__Token", Token), ("Storage__Spool__Enabled", "false"));
        string Logs() => HostProcess.LogsOf(("WebhookApi", host));
        await host.WaitUntilServingAsync();
        using var client = new WebhookClient(host.Address, Token);
        var readyBefore = await client.GetStatusAsync("/readyz");
        var load = new CallbackLoad(client, "@TOA#_load_");
        var sending = load.RunAsync(Senders);

        await Waits.WithinAsync(load.WhenAsync(20, d => d.Answer?.IsOk == true), "20 OK answers before the stop", Logs);
        load.Current = Phase.Stopping;
        await Server.StopAsync(immediate: true);
        load.Current = Phase.Down;
        await Waits.WithinAsync(load.WhenAsync(20, d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down),
            "20 answers to callbacks sent and answered while PostgreSQL was down", Logs);
        var readyDuring = await client.GetStatusAsync("/readyz");
        var aliveDuring = await client.GetStatusAsync("/healthz");
        load.Current = Phase.Starting;
        await Server.StartAsync();
        load.Current = Phase.Back;
        await Waits.WithinAsync(load.WhenAsync(50, d => d.SentIn == Phase.Back && d.Answer?.IsOk == true),
            "50 OK answers to callbacks sent after PostgreSQL was back", Logs);
        await Waits.UntilAsync(async () => await client.GetStatusAsync("/readyz") == HttpStatusCode.OK, "/readyz to answer 200 again", Logs);
        load.Stop();
        await Waits.WithinAsync(sending, "the senders to finish", Logs);

        var deliveries = load.Deliveries;
        var unanswered = deliveries.Where(d => d.Answer is null).ToList();
        Assert.True(unanswered.Count == 0, $"{unanswered.Count} callbacks got no answer, the first: {unanswered.FirstOrDefault()?.Error}\n{Logs()}");
        var unexpected = deliveries.Where(d => !d.Answer!.IsOk && !d.Answer.IsStorageFailure).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than OK and 500 FAIL: {string.Join(", ", unexpected.Take(5))}\n{Logs()}");
        var okWhileDown = deliveries.Where(d => d.SentIn == Phase.Down && d.AnsweredIn == Phase.Down && !d.Answer!.IsStorageFailure).ToList();
        Assert.True(okWhileDown.Count == 0, $"answered while PostgreSQL was down, not with 500 FAIL: {string.Join(", ", okWhileDown.Take(5))}\n{Logs()}");
        Assert.Equal(HttpStatusCode.OK, readyBefore);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuring);
        Assert.Equal(HttpStatusCode.OK, aliveDuring);
        var recovered = deliveries.Where(d => d.SentIn == Phase.Back && d.Answer!.IsOk).Min(d => d.AnsweredAt);
        var relapses = deliveries.Where(d => d.SentAt > recovered && !d.Answer!.IsOk).ToList();
        Assert.True(relapses.Count == 0, $"FAIL after the node had answered OK again: {string.Join(", ", relapses.Take(5))}\n{Logs()}");

        // Tencent redelivers every FAIL: each is stored once, even one whose commit happened but could not be confirmed.
        foreach (var failed in deliveries.Where(d => !d.Answer!.IsOk))
        {
            var redelivered = await client.PostAsync(failed.Callback);
            Assert.True(redelivered.IsOk, $"redelivery of {failed.Account}: {redelivered}\n{Logs()}");
        }

        Assert.Equal(0, await host.TerminateAsync());
        var stored = StoredAccounts();
        var wrong = deliveries.Where(d => stored.GetValueOrDefault(d.Account) != 1).ToList();
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} of {deliveries.Count} deliveries not stored exactly once, e.g. " +
            string.Join(", ", wrong.Take(5).Select(d => $"{d} stored {stored.GetValueOrDefault(d.Account)} times")) + $"\n{Logs()}");
        Assert.Equal(deliveries.Count, stored.Count);
    }

    [SkippableFact]
    public async Task An_open_watch_stays_open_through_a_hard_stop_and_streams_every_later_event_once_in_order()
    {
        // The webhook only feeds the watch here: without the spool, an OK means the event is already in the log.
        using var webhook = HostProcess.StartWebhookApi(_database, ("Webhook__Token", Token), ("Storage__Spool__Enabled", "false"));
        using var grpc = HostProcess.StartGrpcApi(_database, out var metrics);
        string Logs() => HostProcess.LogsOf(("WebhookApi", webhook), ("GrpcApi", grpc));
        await Task.WhenAll(webhook.WaitUntilServingAsync(), grpc.WaitUntilServingAsync(metrics));
        using var client = new WebhookClient(webhook.Address, Token);
        using var channel = GrpcChannel.ForAddress(grpc.Address);
        var health = new Health.HealthClient(channel);
        foreach (var i in Enumerable.Range(1, 5))
        {
            await PostUntilOkAsync(client, $"@TOA#_before_{i}", Logs);
        }

        using var watch = new WebhookEventService.WebhookEventServiceClient(channel)
            .WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = 0 });
        var backlog = await ReadThroughAsync(watch.ResponseStream, LastStoredSequence(), Logs);

        var feedFailed = grpc.WhenLoggedAsync(FeedReadFailed, laterOnly: true);
        await Server.StopAsync(immediate: true);
        var healthDuring = (await health.CheckAsync(new HealthCheckRequest())).Status;
        await Waits.WithinAsync(feedFailed, "GrpcApi's feed to find PostgreSQL gone", Logs);
        await Server.StartAsync();
        // As Tencent does, each callback is redelivered until it is answered OK, by four senders at once.
        var after = Enumerable.Range(1, 40).Select(i => $"@TOA#_after_{i}").ToList();
        await Task.WhenAll(after.Chunk(after.Count / 4).Select(accounts => Task.Run(async () =>
        {
            foreach (var account in accounts)
            {
                await PostUntilOkAsync(client, account, Logs);
            }
        })));
        var stored = _database.Rows<long>("SELECT sequence FROM webhook_events ORDER BY sequence");
        var live = await ReadThroughAsync(watch.ResponseStream, stored[^1], Logs);
        await Waits.UntilAsync(async () => (await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving,
            "GrpcApi's health to say SERVING again", Logs);
        watch.Dispose();
        var exits = (await webhook.TerminateAsync(), await grpc.TerminateAsync());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, healthDuring);
        Assert.Equal(["@TOA#_before_1", "@TOA#_before_2", "@TOA#_before_3", "@TOA#_before_4", "@TOA#_before_5"],
            backlog.Select(e => e.OfficialAccount));
        var streamed = backlog.Concat(live).Select(e => e.Sequence).ToList();
        Assert.True(stored.SequenceEqual(streamed),
            $"the watch streamed sequences [{string.Join(", ", streamed)}], the log holds [{string.Join(", ", stored)}]\n{Logs()}");
        Assert.Equal(after.Order(StringComparer.Ordinal), live.Select(e => e.OfficialAccount).Order(StringComparer.Ordinal));
        Assert.True(exits == (0, 0), $"exit codes {exits}\n{Logs()}");
    }

    [SkippableFact]
    public async Task The_same_delivery_posted_to_two_nodes_at_once_is_stored_once_and_both_answer_ok()
    {
        using var first = HostProcess.StartWebhookApi(_database, ("Webhook__Token", Token));
        using var second = HostProcess.StartWebhookApi(_database, ("Webhook__Token", Token));
        string Logs() => HostProcess.LogsOf(("first WebhookApi", first), ("second WebhookApi", second));
        await Task.WhenAll(first.WaitUntilServingAsync(), second.WaitUntilServingAsync());
        using var firstClient = new WebhookClient(first.Address, Token);
        using var secondClient = new WebhookClient(second.Address, Token);
        const int Deliveries = 300;
        var answers = new (WebhookClient.Answer First, WebhookClient.Answer Second)[Deliveries];

        await Parallel.ForEachAsync(Enumerable.Range(0, Deliveries), new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (i, _) =>
        {
            var account = $"@TOA#_both_{i}";
            var both = await Task.WhenAll(firstClient.PostAsync(account), secondClient.PostAsync(account));
            answers[i] = (both[0], both[1]);
        });
        var duplicates = await DuplicatesCountedAsync(first.Address) + await DuplicatesCountedAsync(second.Address);
        var exits = (await first.TerminateAsync(), await second.TerminateAsync());

        var notOk = answers.Select((a, i) => (a.First, a.Second, Account: $"@TOA#_both_{i}")).Where(a => !a.First.IsOk || !a.Second.IsOk).ToList();
        Assert.True(notOk.Count == 0, $"{notOk.Count} deliveries not answered OK by both nodes, e.g. " +
            string.Join("; ", notOk.Take(3).Select(a => $"{a.Account}: first {a.First}, second {a.Second}")) + $"\n{Logs()}");
        Assert.All(answers, a => Assert.Equal(a.First, a.Second));
        var stored = StoredAccounts();
        var wrong = Enumerable.Range(0, Deliveries).Select(i => $"@TOA#_both_{i}").Where(a => stored.GetValueOrDefault(a) != 1).ToList();
        Assert.True(wrong.Count == 0, $"not stored exactly once: {string.Join(", ", wrong.Take(5))}\n{Logs()}");
        Assert.Equal(Deliveries, stored.Count);
        Assert.Equal(Deliveries, _database.Scalar<long>("SELECT COUNT(*) FROM official_accounts"));
        // Each delivery was stored by one node and found already stored by the other.
        Assert.Equal(Deliveries, duplicates);
        Assert.True(exits == (0, 0), $"exit codes {exits}\n{Logs()}");
    }

    private Dictionary<string, long> StoredAccounts() =>
        _database.Rows<(string Account, long Count)>("SELECT official_account, COUNT(*) FROM webhook_events GROUP BY official_account")
            .ToDictionary(r => r.Account, r => r.Count);

    private long LastStoredSequence() => _database.Scalar<long>("SELECT MAX(sequence) FROM webhook_events");

    /// <summary>Posts until the answer is OK, as a retry-enabled Tencent redelivers a FAIL; anything else fails the test.</summary>
    private static async Task PostUntilOkAsync(WebhookClient client, string account, Func<string> logs)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await client.PostAsync(account);
            if (answer.IsOk)
            {
                return;
            }

            Assert.True(answer.IsStorageFailure, $"{account} answered {answer}\n{logs()}");
            Assert.True(deadline.Elapsed < Waits.Patience, $"{account} still answered {answer} after {Waits.Patience.TotalSeconds} s\n{logs()}");
        }
    }

    /// <summary>Reads the watch until it has sent <paramref name="lastSequence"/>; fails if it ends or stalls first.</summary>
    private static async Task<List<WebhookEvent>> ReadThroughAsync(IAsyncStreamReader<WebhookEvent> stream, long lastSequence, Func<string> logs)
    {
        var received = new List<WebhookEvent>();
        using var deadline = new CancellationTokenSource(Waits.Patience);
        try
        {
            while (received.Count == 0 || received[^1].Sequence < lastSequence)
            {
                Assert.True(await stream.MoveNext(deadline.Token), $"the watch ended after {Sequences(received)}\n{logs()}");
                received.Add(stream.Current);
            }
        }
        catch (RpcException e)
        {
            var why = deadline.IsCancellationRequested ? $"it had not sent sequence {lastSequence} within {Waits.Patience.TotalSeconds} s" : $"it ended with {e.Status}";
            Assert.Fail($"Watching: {why}; received {Sequences(received)}\n{logs()}");
        }

        return received;

        static string Sequences(List<WebhookEvent> events) => $"[{string.Join(", ", events.Select(e => e.Sequence))}]";
    }

    /// <summary><c>cleanchat_events_duplicates_total</c> from the node's <c>/metrics</c>: 0 until it counted one.</summary>
    private static async Task<long> DuplicatesCountedAsync(Uri node) =>
        (long)await ServerMetrics.SumAsync(node, "cleanchat_events_duplicates_total");
}
