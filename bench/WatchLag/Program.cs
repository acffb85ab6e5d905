using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CleanChat.Contracts.V1;
using CleanChat.WatchLag;
using Grpc.Core;
using Grpc.Net.Client;

// Watch delivery lag: WebhookApi and GrpcApi as separate Release processes on a fresh database. For each
// webhook, lag = (event arrives on an open WatchWebhookEvents stream) - (the webhook's OK arrives), both read
// on this process's monotonic clock. Negative: the stream delivered before the HTTP answer was read.
// Beside the lag, the CPU time each process used while the measured events were posted and delivered.

var options = Options.Parse(args);
const string SdkAppId = "1400000000";
const string Command = "OfficialAccount.CallbackAfterOfficialAccountDestroyed";
const int StreamsPerConnection = 100;

var folder = Path.Combine(Path.GetTempPath(), "cleanchat-watch-lag", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
string[] storage = options.Engine == "postgres"
    ? ["--Storage:Engine=Postgres", $"--ConnectionStrings:CleanChat={options.Connection}"]
    : [$"--ConnectionStrings:CleanChat=Data Source={Path.Combine(folder, "cleanchat.db")}"];

HostProcess? webhook = null;
HostProcess? grpc = null;
try
{
    webhook = HostProcess.Start(options.WebhookDll, "Kestrel:Endpoints:Http:Url", [.. storage, $"--Webhook:SdkAppIds:0={SdkAppId}"]);
    // The metrics endpoint on a free port too, so runs side by side (or a host already running) do not collide.
    var metrics = HostProcess.FreeLoopbackAddress().ToString().TrimEnd('/');
    grpc = HostProcess.Start(options.GrpcDll, "Kestrel:Endpoints:Grpc:Url", [.. storage, $"--Kestrel:Endpoints:Metrics:Url={metrics}"]);

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { BaseAddress = webhook.Address };
    using var channel = GrpcChannel.ForAddress(grpc.Address);
    var events = new WebhookEventService.WebhookEventServiceClient(channel);
    await WaitUntilUpAsync(http, events, webhook, grpc);

    // Followers are separate services with connections of their own; here every 100 watchers share one, the most
    // streams Kestrel allows on a connection by default. Each connection is opened, and has the server's settings,
    // before its streams start: with 1,000 watchers on one channel the client opened extra connections on its own
    // and started streams on them at once, and a start-up once failed with "connection reset by peer".
    using var stop = new CancellationTokenSource();
    var watchers = Enumerable.Range(0, options.Watchers).Select(_ => new Watcher(options.WarmUpEvents, options.WarmUpEvents + options.Events)).ToArray();
    var followers = watchers.Chunk(StreamsPerConnection).Select(chunk => (Channel: GrpcChannel.ForAddress(grpc.Address), Watchers: chunk)).ToList();
    var watching = new List<Task>();
    foreach (var (followerChannel, chunk) in followers)
    {
        await new WebhookEventService.WebhookEventServiceClient(followerChannel).GetWebhookEventStatsAsync(new GetWebhookEventStatsRequest());
        var invoker = followerChannel.CreateCallInvoker();
        watching.AddRange(chunk.Select(w => Task.Run(() => w.RunAsync(invoker, stop.Token))));
    }

    // Warm up (JIT, connections) and make sure every stream is live before measuring.
    await PostAllAsync(http, options, "warmup", options.WarmUpEvents, rate: 0, okAt: null);
    await Task.WhenAll(watchers.Select(w => w.WarmedUp)).WaitAsync(TimeSpan.FromSeconds(60));

    var cpuBefore = CpuSeconds();
    var okAt = new ConcurrentDictionary<string, long>();
    var started = Stopwatch.GetTimestamp();
    await PostAllAsync(http, options, "bench", options.Events, options.Rate, okAt);
    var posting = Stopwatch.GetElapsedTime(started);
    await Task.WhenAll(watchers.Select(w => w.Finished)).WaitAsync(TimeSpan.FromSeconds(120));
    var delivering = Stopwatch.GetElapsedTime(started);
    var cpuAfter = CpuSeconds();

    await stop.CancelAsync();
    await Task.WhenAll(watching);
    followers.ForEach(f => f.Channel.Dispose());

    // The watchers kept only sequences; the log says which account (so which webhook) each one is.
    var accountOf = await ReadAccountsAsync(events);
    var lags = watchers
        .SelectMany(w => w.Arrivals())
        .Where(a => okAt.ContainsKey(accountOf[a.Sequence]))
        .Select(a => Stopwatch.GetElapsedTime(okAt[accountOf[a.Sequence]], a.ArrivedAt).TotalMilliseconds)
        .Order()
        .ToArray();
    var cpu = (Grpc: cpuAfter.Grpc - cpuBefore.Grpc, Webhook: cpuAfter.Webhook - cpuBefore.Webhook, Bench: cpuAfter.Bench - cpuBefore.Bench);
    Report(options, posting, delivering, lags, cpu);
    return lags[Percentile(lags.Length, 0.99)] < options.MaxP99Milliseconds ? 0 : 1;

    (double Grpc, double Webhook, double Bench) CpuSeconds() => (
        grpc.CpuSeconds(options.ClockTicksPerSecond),
        webhook.CpuSeconds(options.ClockTicksPerSecond),
        HostProcess.CpuSeconds(Environment.ProcessId, options.ClockTicksPerSecond));
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

// Posts count webhooks from options.Concurrency posters; with a rate, event i is due i/rate seconds after the
// start however long the earlier ones took (an open loop), so a slow answer does not lower the load.
static async Task PostAllAsync(HttpClient http, Options options, string prefix, int count, int rate, ConcurrentDictionary<string, long>? okAt)
{
    var next = 0;
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) <= count)
        {
            if (rate > 0)
            {
                var wait = TimeSpan.FromSeconds((i - 1) / (double)rate) - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }

            var account = $"@TOA#_{prefix}_{i}";
            var at = await PostAsync(http, account, 1_700_000_000_000 + i);
            if (okAt is not null)
            {
                okAt[account] = at;
            }

            if (options.PauseMilliseconds > 0)
            {
                await Task.Delay(options.PauseMilliseconds);
            }
        }
    })));
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

static async Task<Dictionary<long, string>> ReadAccountsAsync(WebhookEventService.WebhookEventServiceClient events)
{
    var accountOf = new Dictionary<long, string>();
    var request = new ListWebhookEventsRequest { Order = ListWebhookEventsRequest.Types.Order.SequenceAscending, PageSize = 1000 };
    do
    {
        var page = await events.ListWebhookEventsAsync(request);
        foreach (var e in page.Events)
        {
            accountOf[e.Sequence] = e.OfficialAccount;
        }

        request.PageToken = page.NextPageToken;
    }
    while (request.PageToken.Length > 0);

    return accountOf;
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

static int Percentile(int count, double p) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

static void Report(Options options, TimeSpan posting, TimeSpan delivering, double[] lags, (double Grpc, double Webhook, double Bench) cpu)
{
    string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
    string S(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    var p99 = lags[Percentile(lags.Length, 0.99)];
    var window = delivering.TotalSeconds;
    var pace = options.Rate > 0 ? $"paced at {options.Rate}/s" : "as fast as they are answered";
    Console.WriteLine($"watch-lag ({options.Engine}): {options.Events} webhooks after {options.WarmUpEvents} to warm up, {options.Concurrency} concurrent posters {pace}, " +
        $"{options.Watchers} watcher(s), pause {options.PauseMilliseconds} ms");
    Console.WriteLine($"  posting took {S(posting.TotalSeconds)} s ({(options.Events / posting.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)} webhooks/s); " +
        $"the last stream had every event after {S(window)} s");
    Console.WriteLine($"  lag ms (webhook OK -> event on stream), {lags.Length} samples: " +
        $"min {Ms(lags[0])}  p50 {Ms(lags[Percentile(lags.Length, 0.50)])}  p90 {Ms(lags[Percentile(lags.Length, 0.90)])}  " +
        $"p99 {Ms(p99)}  max {Ms(lags[^1])}");
    Console.WriteLine($"  CPU in those {S(window)} s: GrpcApi {S(cpu.Grpc)} s ({S(cpu.Grpc / window)} cores), " +
        $"{(cpu.Grpc * 1e6 / lags.Length).ToString("0.0", CultureInfo.InvariantCulture)} µs per delivered event; " +
        $"WebhookApi {S(cpu.Webhook)} s; this benchmark (posters and watchers) {S(cpu.Bench)} s");
    Console.WriteLine($"  p99 under {options.MaxP99Milliseconds} ms: {(p99 < options.MaxP99Milliseconds ? "yes" : "NO")}");
}
