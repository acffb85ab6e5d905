using System.Diagnostics;
using System.Globalization;
using CleanChat.Outage;

// The spool's outage benchmark (issue 20). bench/outage.sh starts PostgreSQL and the webhook nodes and passes them
// here; this program sends an open-loop load of destroyed-account callbacks over the nodes, stops PostgreSQL hard in
// the middle, starts it again, keeps the load going until every node's spool is empty, and then checks that every
// callback answered OK is in webhook_events exactly once. It prints the figures beside the targets and exits
// with 1 when one is missed.

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

var postgres = new Postgres(options.PgCtl, options.PgData, options.Database);
var callbacks = new Callbacks(options.Token, options.AppId);
await WaitUntilReadyAsync(options.Nodes);

var logs = options.Nodes.Select(n => new NodeLog(n.LogPath)).ToList();
using var sampler = new SpoolSampler(options.Nodes, logs);
// The rate ramps up over the warm-up's first half, which is not judged.
using var load = new OpenLoopLoad(options.Nodes, callbacks, options.Rate, rampSeconds: options.WarmUpSeconds / 2.0);
var run = new RunFacts(options);
await sampler.SampleOnceAsync();
run.CountersBefore = sampler.Latest;
var clock = Stopwatch.StartNew();
sampler.Start();
load.Start();
using var stopProgress = new CancellationTokenSource();
var progress = ShowProgressAsync(stopProgress.Token);

Say($"warm-up: {options.WarmUpSeconds} s, rising to {options.Rate} requests/s over the first {options.WarmUpSeconds / 2.0:0} s, over {options.Nodes.Count} nodes");
EnterPhase(Phase.WarmUp);
await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds / 2.0));
EnterPhase(Phase.Before);
await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds - (options.WarmUpSeconds / 2.0)));

Say($"stopping PostgreSQL hard (pg_ctl stop -m immediate) for {options.OutageSeconds} s");
EnterPhase(Phase.Down);
var downAt = Stopwatch.GetTimestamp();
run.DownAtUtc = DateTime.UtcNow;
await Task.Run(postgres.StopImmediately);
var stoppedIn = Stopwatch.GetElapsedTime(downAt);
await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, options.OutageSeconds - stoppedIn.TotalSeconds)));

Say("starting PostgreSQL again");
var startingAt = Stopwatch.GetTimestamp();
await Task.Run(postgres.Start);
run.StartTook = Stopwatch.GetElapsedTime(startingAt);
var upAt = Stopwatch.GetTimestamp();
run.UpAtUtc = DateTime.UtcNow;
run.DownFor = Stopwatch.GetElapsedTime(downAt, upAt);
EnterPhase(Phase.Draining);
Say($"PostgreSQL accepts connections again (its start took {run.StartTook.TotalSeconds:0.0} s); waiting for every spool to be empty");

run.Drained = await sampler.WaitUntilEmptyAsync(upAt, TimeSpan.FromSeconds(options.MaxDrainSeconds));
run.DrainSampled = Stopwatch.GetElapsedTime(upAt);
run.DepthAtDrainEnd = sampler.Depth;
Say(run.Drained
    ? $"every spool is empty (sampled {run.DrainSampled.TotalSeconds:0} s after the start); {options.TailSeconds} s more of load"
    : $"the spools were not empty after {options.MaxDrainSeconds} s (--max-drain); stopping the load");
EnterPhase(Phase.After);
await Task.Delay(TimeSpan.FromSeconds(options.TailSeconds));

await load.StopAsync();
run.LoadTook = clock.Elapsed;
run.CpuMarks.Add(Mark(null));
run.MaxLateness = load.MaxLateness;
await stopProgress.CancelAsync();
await progress;

// A callback of the last seconds may have been spooled (a slow commit): its row comes once that spool drains.
Say("load stopped; waiting for the spools to settle before counting rows");
run.SettledAfterLoad = await sampler.WaitUntilEmptyAsync(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(60));
await sampler.StopAsync();
await sampler.SampleOnceAsync();
run.CountersAfter = sampler.Latest;
run.PeakDepth = sampler.PeakDepth;
run.FailedScrapes = sampler.FailedScrapes;
run.NotReadyAnswers = sampler.NotReadyAnswers;
run.NotReadySamples = sampler.NotReadySamples;

// How many rows each account has: the deliveries are matched by their account, each distinct.
run.StoredByAccount = postgres.Query("SELECT official_account, COUNT(*) FROM webhook_events GROUP BY official_account")
    .ToDictionary(row => row[0], row => long.Parse(row[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
logs.ForEach(l => l.ReadNew());
run.Logs = logs;

return new Report(run, load.Deliveries, callbacks).Print() ? 0 : 1;

// Each phase's start, with the CPU time the generator and the nodes have used so far: what each phase cost them.
void EnterPhase(Phase phase)
{
    run.CpuMarks.Add(Mark(phase));
    load.Current = phase;
}

CpuMark Mark(Phase? phase) =>
    new(phase, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, NodeCpuSeconds(options));

void Say(string text) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0} s] {text}");

// A line every five seconds, so a long run shows it is alive and where it is.
async Task ShowProgressAsync(CancellationToken stop)
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
    try
    {
        while (await timer.WaitForNextTickAsync(stop))
        {
            Say(string.Create(CultureInfo.InvariantCulture,
                $"{load.Current,-8} sent {load.Sent,8:N0}  OK {load.Ok,8:N0}  not OK {load.NotOk,6:N0}  in flight {load.InFlight,5:N0}  spool depth {sampler.Depth,8:N0}"));
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // The load has stopped.
    }
}

// The nodes' CPU time (user + system) so far, from /proc: what serving the load cost them, beside the generator's.
static double NodeCpuSeconds(Options options) => options.Nodes.Sum(node =>
{
    var stat = File.ReadAllText($"/proc/{node.ProcessId}/stat");
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / options.ClockTicksPerSecond;
});

static async Task WaitUntilReadyAsync(IReadOnlyList<Node> nodes)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
    foreach (var node in nodes)
    {
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(node.Address, "/readyz"));
                if (ready.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Node {node.Number} ({node.Address}) was not ready within 60 s; see {node.LogPath}.");
            }

            await Task.Delay(200);
        }
    }
}
