using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CleanChat.Contracts.V1;
using CleanChat.WatchLag;
using Grpc.Core;
using Grpc.Net.Client;

// Watch delivery lag: WebhookApi and GrpcApi as separate Release processes on a fresh SQLite file. For each
// webhook, lag = (event arrives on an open WatchWebhookEvents stream) - (the webhook's OK arrives), both read
// on this process's monotonic clock. Negative: the stream delivered before the HTTP answer was read.

var options = Options.Parse(args);
const string SdkAppId = "1400000000";
const string Command = "OfficialAccount.CallbackAfterOfficialAccountDestroyed";

var folder = Path.Combine(Path.GetTempPath(), "cleanchat-watch-lag", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var connection = $"--ConnectionStrings:CleanChat=Data Source={Path.Combine(folder, "cleanchat.db")}";

HostProcess? webhook = null;
HostProcess? grpc = null;
try
{
    webhook = HostProcess.Start(options.WebhookDll, "Kestrel:Endpoints:Http:Url", [connection, $"--Webhook:SdkAppIds:0={SdkAppId}"]);
    grpc = HostProcess.Start(options.GrpcDll, "Kestrel:Endpoints:Grpc:Url", [connection]);

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { BaseAddress = webhook.Address };
    using var channel = GrpcChannel.ForAddress(grpc.Address);
    var events = new WebhookEventService.WebhookEventServiceClient(channel);
    await WaitUntilUpAsync(http, events, webhook, grpc);

    // Each watcher notes when each account's event reached it.
    using var stop = new CancellationTokenSource();
    var received = Enumerable.Range(0, options.Watchers).Select(_ => new ConcurrentDictionary<string, long>()).ToArray();
    var watchers = received.Select(seen => Task.Run(() => WatchAsync(events, seen, stop.Token))).ToArray();

    // Warm up (JIT, connections) and make sure every stream is live before measuring.
    await PostAsync(http, "@TOA#_warmup", 1);
    await WaitForAsync(() => received.All(r => r.ContainsKey("@TOA#_warmup")), TimeSpan.FromSeconds(30), "the warm-up event on every stream");

    var okAt = new ConcurrentDictionary<string, long>();
    var next = 0;
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) <= options.Events)
        {
            var account = $"@TOA#_bench_{i}";
            okAt[account] = await PostAsync(http, account, 1_700_000_000_000 + i);
            if (options.PauseMilliseconds > 0)
            {
                await Task.Delay(options.PauseMilliseconds);
            }
        }
    })));
    var posting = Stopwatch.GetElapsedTime(started);

    await WaitForAsync(() => received.All(r => r.Count == options.Events + 1), TimeSpan.FromSeconds(60), "every event on every stream");
    await stop.CancelAsync();
    await Task.WhenAll(watchers);

    var lags = received
        .SelectMany(r => okAt.Select(ok => Stopwatch.GetElapsedTime(ok.Value, r[ok.Key]).TotalMilliseconds))
        .Order()
        .ToArray();
    Report(options, posting, lags);
    return lags[Percentile(lags.Length, 0.99)] < 250 ? 0 : 1;
}
finally
{
    grpc?.Dispose();
    webhook?.Dispose();
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
        // The temp folder is disposable.
    }
}

static async Task<long> PostAsync(HttpClient http, string account, long eventTime)
{
    var body = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["CallbackCommand"] = Command,
        ["Official_Account"] = account,
        ["Owner_Account"] = "107867",
        ["Name"] = "BenchAccount",
        ["EventTime"] = eventTime,
    });
    var query = $"/webhook?SdkAppid={SdkAppId}&CallbackCommand={Command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI";
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var response = await http.PostAsync(new Uri(query, UriKind.Relative), content);
    var answer = await response.Content.ReadAsStringAsync();
    var at = Stopwatch.GetTimestamp();
    if (!response.IsSuccessStatusCode || !answer.Contains("\"OK\"", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"The webhook refused {account}: {(int)response.StatusCode} {answer}");
    }

    return at;
}

static async Task WatchAsync(WebhookEventService.WebhookEventServiceClient events, ConcurrentDictionary<string, long> seen, CancellationToken stop)
{
    try
    {
        using var call = events.WatchWebhookEvents(new WatchWebhookEventsRequest(), cancellationToken: stop);
        while (await call.ResponseStream.MoveNext(stop))
        {
            seen[call.ResponseStream.Current.OfficialAccount] = Stopwatch.GetTimestamp();
        }
    }
    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
    {
        // Stopped at the end of the run.
    }
}

static async Task WaitUntilUpAsync(HttpClient http, WebhookEventService.WebhookEventServiceClient events, HostProcess webhook, HostProcess grpc)
{
    var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
    while (true)
    {
        if (webhook.HasExited || grpc.HasExited)
        {
            throw new InvalidOperationException("A host exited during start-up.");
        }

        try
        {
            using var probe = await http.GetAsync(new Uri("/webhook", UriKind.Relative)); // 405: the host answers
            await events.GetWebhookEventStatsAsync(new GetWebhookEventStatsRequest());
            return;
        }
        catch (Exception e) when ((e is HttpRequestException or RpcException) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100);
        }
    }
}

static async Task WaitForAsync(Func<bool> condition, TimeSpan patience, string what)
{
    var started = Stopwatch.GetTimestamp();
    while (!condition())
    {
        if (Stopwatch.GetElapsedTime(started) > patience)
        {
            throw new TimeoutException($"Gave up waiting for {what}.");
        }

        await Task.Delay(5);
    }
}

static int Percentile(int count, double p) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

static void Report(Options options, TimeSpan posting, double[] lags)
{
    string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
    var p99 = lags[Percentile(lags.Length, 0.99)];
    Console.WriteLine($"watch-lag: {options.Events} webhooks, {options.Concurrency} concurrent posters, {options.Watchers} watcher(s), pause {options.PauseMilliseconds} ms");
    Console.WriteLine($"  posting took {posting.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({(options.Events / posting.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)} webhooks/s)");
    Console.WriteLine($"  lag ms (webhook OK -> event on stream), {lags.Length} samples: " +
        $"min {Ms(lags[0])}  p50 {Ms(lags[Percentile(lags.Length, 0.50)])}  p90 {Ms(lags[Percentile(lags.Length, 0.90)])}  " +
        $"p99 {Ms(p99)}  max {Ms(lags[^1])}");
    Console.WriteLine($"  p99 under 250 ms: {(p99 < 250 ? "yes" : "NO")}");
}
