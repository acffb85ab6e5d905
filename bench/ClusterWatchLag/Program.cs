using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CleanChat.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

// Watch delivery lag on a cluster that is already running: signed webhooks posted round-robin to every webhook node
// given, one WatchWebhookEvents stream open on the gRPC node. For each webhook, lag = (its event arrives on the
// stream) - (its OK arrives), both on this process's monotonic clock; negative: the stream won the race with the answer.
// bench/run.sh --engine postgres --nodes N starts the nodes and runs this; it prints a "RESULT key=value ..." line.
//
//   ClusterWatchLag --webhook URL [--webhook URL ...] --grpc URL --token TOKEN [--app-id ID] [--events 1000] [--concurrency 4]

const string Command = "OfficialAccount.CallbackAfterOfficialAccountDestroyed";

var webhooks = new List<Uri>();
string? grpcAddress = null, token = null;
var appId = "1400000000";
int events = 1000, concurrency = 4;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var value = args[i + 1];
    switch (args[i])
    {
        case "--webhook": webhooks.Add(new Uri(value)); break;
        case "--grpc": grpcAddress = value; break;
        case "--token": token = value; break;
        case "--app-id": appId = value; break;
        case "--events": events = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown option {args[i]}.");
    }
}

if (webhooks.Count == 0 || grpcAddress is null || token is null)
{
    throw new ArgumentException("--webhook (one or more), --grpc and --token are required.");
}

var clients = webhooks.Select(w => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = w }).ToArray();
using var channel = GrpcChannel.ForAddress(grpcAddress);
var service = new WebhookEventService.WebhookEventServiceClient(channel);

// Follow only what is new: start after the newest event stored so far.
var newest = await service.ListWebhookEventsAsync(new ListWebhookEventsRequest { PageSize = 1 });
var after = newest.Events.Count == 0 ? 0 : newest.Events[0].Sequence;
using var stop = new CancellationTokenSource();
var received = new ConcurrentDictionary<string, long>();
var watching = Task.Run(() => WatchAsync(service, after, received, stop.Token));
var run = Guid.NewGuid().ToString("N")[..8];

// Warm up (JIT, connections on every node) and make sure the stream is live before measuring.
for (var n = 0; n < clients.Length; n++)
{
    await PostAsync(clients[n], $"@TOA#_lag_{run}_warmup_{n}", 1);
}

await WaitForAsync(() => Enumerable.Range(0, clients.Length).All(n => received.ContainsKey($"@TOA#_lag_{run}_warmup_{n}")), "the warm-up events");

var okAt = new ConcurrentDictionary<string, long>();
var next = 0;
var started = Stopwatch.GetTimestamp();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) <= events)
    {
        var account = $"@TOA#_lag_{run}_{i}";
        okAt[account] = await PostAsync(clients[i % clients.Length], account, 1_700_000_000_000 + i);
    }
})));
var posting = Stopwatch.GetElapsedTime(started);

await WaitForAsync(() => okAt.Keys.All(received.ContainsKey), "every event on the stream");
await stop.CancelAsync();
await watching;

var lags = okAt.Select(ok => Stopwatch.GetElapsedTime(ok.Value, received[ok.Key]).TotalMilliseconds).Order().ToArray();
string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
double At(double p) => lags[Math.Clamp((int)Math.Ceiling(p * lags.Length) - 1, 0, lags.Length - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT events={events} nodes={clients.Length} concurrency={concurrency} webhooks_per_s={events / posting.TotalSeconds:0} " +
    $"p50_ms={Ms(At(0.50))} p90_ms={Ms(At(0.90))} p99_ms={Ms(At(0.99))} max_ms={Ms(lags[^1])}"));
return 0;

async Task<long> PostAsync(HttpClient http, string account, long eventTime)
{
    var body = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["CallbackCommand"] = Command,
        ["Official_Account"] = account,
        ["Owner_Account"] = "107867",
        ["Name"] = "BenchAccount",
        ["EventTime"] = eventTime,
    });
    var requestTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    var sign = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token + requestTime)));
    var query = $"/webhook?SdkAppid={appId}&CallbackCommand={Command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI" +
        $"&RequestTime={requestTime}&Sign={sign}";
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var response = await http.PostAsync(new Uri(query, UriKind.Relative), content);
    var answer = await response.Content.ReadAsStringAsync();
    var at = Stopwatch.GetTimestamp();
    if (!response.IsSuccessStatusCode || !answer.Contains("\"OK\"", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"{http.BaseAddress} refused {account}: {(int)response.StatusCode} {answer}");
    }

    return at;
}

static async Task WatchAsync(WebhookEventService.WebhookEventServiceClient service, long after, ConcurrentDictionary<string, long> seen, CancellationToken stop)
{
    try
    {
        using var call = service.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = after }, cancellationToken: stop);
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

static async Task WaitForAsync(Func<bool> condition, string what)
{
    var started = Stopwatch.GetTimestamp();
    while (!condition())
    {
        if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
        {
            throw new TimeoutException($"Gave up waiting for {what}.");
        }

        await Task.Delay(5);
    }
}
