using System.Globalization;

namespace CleanChat.Outage;

/// <summary>CPU time used so far (seconds) when <see cref="Phase"/> began; null: the load's end.</summary>
internal sealed record CpuMark(Phase? Phase, TimeSpan At, double GeneratorSeconds, double NodeSeconds);

/// <summary>What the run measured besides the deliveries themselves, gathered by Program as it goes.</summary>
internal sealed class RunFacts(Options options)
{
    public Options Options { get; } = options;
    public DateTime DownAtUtc { get; set; }
    public DateTime UpAtUtc { get; set; }
    public TimeSpan DownFor { get; set; }
    public TimeSpan StartTook { get; set; }
    public bool Drained { get; set; }
    public TimeSpan DrainSampled { get; set; }
    public double DepthAtDrainEnd { get; set; }
    public bool SettledAfterLoad { get; set; }
    public TimeSpan LoadTook { get; set; }
    public List<CpuMark> CpuMarks { get; } = [];
    public TimeSpan MaxLateness { get; set; }
    public IReadOnlyList<SpoolReading?> CountersBefore { get; set; } = [];
    public IReadOnlyList<SpoolReading?> CountersAfter { get; set; } = [];
    public double PeakDepth { get; set; }
    public int FailedScrapes { get; set; }
    public int NotReadyAnswers { get; set; }
    public IReadOnlyList<string> NotReadySamples { get; set; } = [];
    public IReadOnlyDictionary<string, long> StoredByAccount { get; set; } = new Dictionary<string, long>();
    public IReadOnlyList<NodeLog> Logs { get; set; } = [];
}

/// <summary>Prints the run's figures, each beside its target where the issue sets one.</summary>
internal sealed class Report(RunFacts run, IReadOnlyList<Delivery> deliveries, Callbacks callbacks)
{
    private readonly List<bool> _targets = [];

    /// <summary>Prints the report; true when every target was met.</summary>
    public bool Print()
    {
        var o = run.Options;
        Line();
        Line($"Outage benchmark: {o.Nodes.Count} webhook nodes on PostgreSQL, an open loop of {o.Rate:N0} destroyed-account callbacks/s "
            + $"over them (each waits at most {OpenLoopLoad.TencentWaits.TotalSeconds:0} s), PostgreSQL stopped hard (pg_ctl stop -m immediate) "
            + $"after {o.WarmUpSeconds} s, down {run.DownFor.TotalSeconds:0.0} s (its start took {run.StartTook.TotalSeconds:0.0} s of that).");
        Line();
        PrintAnswers();
        Line();
        PrintSpool();
        Line();
        PrintStored();
        Line();
        PrintCost();
        return _targets.All(met => met);
    }

    private void PrintAnswers()
    {
        // The first half of the warm-up (a cold JIT, connections opening) is shown but not judged; everything after is.
        var judged = deliveries.Where(d => d.Phase != Phase.WarmUp).ToList();
        var ok = judged.Count(d => d.Outcome == Outcome.Ok);
        Line($"Requests: {deliveries.Count:N0} scheduled in {run.LoadTook.TotalSeconds:0} s, {judged.Count:N0} of them after the warm-up's first half; "
            + $"of those, answered OK within 2 s: {ok:N0} = {Percent(ok, judged.Count)}" + Target(ok == judged.Count && ok > 0, "100 %"));
        Line($"  not OK: {Count(judged, Outcome.ServerError)} answered 500, {Count(judged, Outcome.OtherAnswer)} other answers, "
            + $"{Count(judged, Outcome.Timeout)} timeouts (no answer in 2 s), {Count(judged, Outcome.NoAnswer)} without an answer (connection refused or broken), "
            + $"{Count(judged, Outcome.NotSent)} not sent (the generator's cap of requests in flight)");
        var warmUp = deliveries.Where(d => d.Phase == Phase.WarmUp).ToList();
        Line($"  in the warm-up's first half (not judged): {Count(warmUp, Outcome.Ok)} of {warmUp.Count:N0} OK, {Count(warmUp, Outcome.ServerError)} answered 500, "
            + $"{Count(warmUp, Outcome.OtherAnswer)} other answers, {Count(warmUp, Outcome.Timeout)} timeouts, {Count(warmUp, Outcome.NoAnswer)} without an answer, {Count(warmUp, Outcome.NotSent)} not sent");
        foreach (var example in deliveries.Where(d => d.Outcome is not Outcome.Ok).GroupBy(d => (d.Outcome, d.Phase)).Take(6))
        {
            var first = example.First();
            Line($"    e.g. {example.Count():N0} × {example.Key.Outcome} sent while {example.Key.Phase}, the first to node {first.Node.Number}: {first.Detail ?? "-"}");
        }

        Line();
        Line("  latency of answers (ms), by when the request was sent   sent      OK  not OK    p50     p99     max");
        LatencyRow("warm-up, first half (rate rising; JIT, connections)", Phase.WarmUp);
        LatencyRow("before the outage", Phase.Before);
        LatencyRow("during the outage (PostgreSQL down)", Phase.Down);
        LatencyRow("while the spools drain", Phase.Draining);
        LatencyRow("after the drain", Phase.After);
        var late = deliveries.Where(d => d.Outcome != Outcome.NotSent).Select(d => Milliseconds(d.SentAt - d.ScheduledAt)).Order().ToArray();
        Line($"  the generator sent {Percent(late.Count(l => l <= 10), late.Length)} of requests within 10 ms of their schedule; "
            + $"p99 {At(late, 0.99):0} ms late, the latest {run.MaxLateness.TotalMilliseconds:0} ms");
    }

    private void LatencyRow(string name, Phase phase)
    {
        var inPhase = deliveries.Where(d => d.Phase == phase).ToList();
        var answered = inPhase.Where(d => d.Outcome is Outcome.Ok or Outcome.ServerError or Outcome.OtherAnswer)
            .Select(d => d.LatencyMs).Order().ToArray();
        var ok = inPhase.Count(d => d.Outcome == Outcome.Ok);
        Line(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-54} {inPhase.Count,7:N0} {ok,7:N0} {inPhase.Count - ok,7:N0} {At(answered, 0.5),6:0.0} {At(answered, 0.99),7:0.0} {(answered.Length == 0 ? 0 : answered[^1]),7:0.0}"));
    }

    private void PrintSpool()
    {
        var spooled = Delta(r => r.Spooled);
        var drained = Delta(r => r.Drained);
        Line($"Spool: peak depth {run.PeakDepth:N0} (summed over the nodes, sampled each second"
            + (run.FailedScrapes > 0 ? $"; {run.FailedScrapes} scrapes failed or took over 2 s, so the peak may be higher" : "")
            + $"); {spooled:N0} callbacks spooled, {drained:N0} drained (the nodes' counters over the run)");

        // The drain's length from the nodes' own log lines: from PostgreSQL accepting connections to each node's first
        // "The spool is empty again" after it. The line's own seconds count from the first drain attempt, in the outage.
        var empties = run.Logs.Select(l => l.Emptied.Where(e => e.At >= run.UpAtUtc).Select(e => ((DateTime, long, double)?)e).FirstOrDefault()).ToList();
        for (var i = 0; i < run.Logs.Count; i++)
        {
            var log = run.Logs[i];
            var inOutage = log.SpoolingStarts.FirstOrDefault(s => s.At >= run.DownAtUtc && s.At < run.UpAtUtc);
            var firstSpool = inOutage == default ? "did not spool in the outage" : $"spooled from {(inOutage.At - run.DownAtUtc).TotalSeconds:0.0} s after the stop";
            var empty = empties[i] is var (at, count, seconds)
                ? $"empty {(at - run.UpAtUtc).TotalSeconds:0.0} s after PostgreSQL was back, {count:N0} callbacks drained (its log: in {seconds:0.0} s from its first attempt)"
                : "no 'empty again' line after PostgreSQL was back";
            Line($"  node {i + 1}: {firstSpool}; {empty}; 'database does not answer' lines {log.WaitingLines}");
            // Spooling outside the outage: a commit to a running PostgreSQL that missed its budget (a busy machine, the
            // commit lock held by another node's drain). Answered OK from the spool all the same, but worth seeing.
            foreach (var (what, episodes) in new[]
            {
                ("before the stop", log.SpoolingStarts.Where(s => s.At < run.DownAtUtc).ToList()),
                ("after PostgreSQL was back", log.SpoolingStarts.Where(s => s.At >= run.UpAtUtc).ToList()),
            }.Where(x => x.Item2.Count > 0))
            {
                Line($"    also spooled {episodes.Count} time(s) {what} ({episodes.Sum(e => e.Count):N0} callbacks in those first commits), first because: {episodes[0].Reason}");
            }
        }

        var allLogged = empties.All(e => e is not null);
        if (run.Drained)
        {
            var drainSeconds = allLogged ? empties.Max(e => (e!.Value.Item1 - run.UpAtUtc).TotalSeconds) : run.DrainSampled.TotalSeconds;
            var drainedCount = allLogged ? empties.Sum(e => e!.Value.Item2) : drained;
            Line($"  drain: every spool empty {drainSeconds:0.0} s after PostgreSQL accepted connections again "
                + $"({(allLogged ? "from the nodes' log lines" : "from the metrics samples, to the second")}; live traffic continued), "
                + $"{drainedCount:N0} callbacks at {(drainSeconds > 0 ? drainedCount / drainSeconds : 0):N0}/s"
                + Target(drainSeconds <= run.Options.DrainTargetSeconds, $"≤ {run.Options.DrainTargetSeconds} s"));
        }
        else
        {
            Line($"  drain: the spools still held {run.DepthAtDrainEnd:N0} callbacks {run.DrainSampled.TotalSeconds:0} s after "
                + $"PostgreSQL accepted connections again (--max-drain)"
                + Target(false, $"≤ {run.Options.DrainTargetSeconds} s"));
        }

        var batches = Delta(r => r.DrainBatches);
        Line($"  drain transactions: {batches:N0}, {Delta(r => r.DrainSeconds):0.0} s in them together "
            + $"({(batches > 0 ? drained / batches : 0):N0} callbacks each on average)");
        if (!run.SettledAfterLoad)
        {
            Line("  ! the spools were not empty 60 s after the load stopped: rows may be missing for that reason");
        }

        Line($"  /readyz: {run.NotReadyAnswers} answers other than 200; /metrics or /readyz scrapes failed or slower than 2 s: {run.FailedScrapes}");
        foreach (var sample in run.NotReadySamples)
        {
            Line($"    e.g. {sample}");
        }

        foreach (var (log, i) in run.Logs.Select((l, i) => (l, i)).Where(x => x.l.OtherProblemCount > 0))
        {
            Line($"  node {i + 1} logged {log.OtherProblemCount} other warnings or errors, e.g.:");
            log.OtherProblems.ForEach(p => Line($"    {p}"));
        }
    }

    private void PrintStored()
    {
        var ok = deliveries.Where(d => d.Outcome == Outcome.Ok).Select(d => callbacks.AccountOf(d.Index)).ToList();
        var lost = ok.Where(a => !run.StoredByAccount.ContainsKey(a)).ToList();
        var doubled = run.StoredByAccount.Where(s => s.Value > 1).ToList();
        var sentAccounts = deliveries.Select(d => callbacks.AccountOf(d.Index)).ToHashSet(StringComparer.Ordinal);
        var notOkStored = deliveries.Where(d => d.Outcome != Outcome.Ok).Count(d => run.StoredByAccount.ContainsKey(callbacks.AccountOf(d.Index)));
        var foreign = run.StoredByAccount.Keys.Count(a => !sentAccounts.Contains(a));
        Line($"Stored (webhook_events, by official_account): {run.StoredByAccount.Values.Sum():N0} rows; "
            + $"of the {ok.Count:N0} answered OK, {ok.Count - lost.Count:N0} are there");
        Line($"  lost (answered OK, not stored): {lost.Count:N0}" + Target(lost.Count == 0, "0")
            + (lost.Count > 0 ? $"; e.g. {string.Join(", ", lost.Take(5))}" : ""));
        Line($"  doubled (stored more than once): {doubled.Count:N0}" + Target(doubled.Count == 0, "0")
            + (doubled.Count > 0 ? $"; e.g. {string.Join(", ", doubled.Take(5).Select(d => $"{d.Key} ×{d.Value}"))}" : ""));
        Line($"  stored though not answered OK: {notOkStored:N0} (allowed: Tencent retries those, and a retry is stored once); "
            + $"rows of accounts this run never sent: {foreign:N0}");
        _targets.Add(foreign == 0);
    }

    private void PrintCost()
    {
        var (first, last) = (run.CpuMarks[0], run.CpuMarks[^1]);
        var seconds = (last.At - first.At).TotalSeconds;
        var generator = last.GeneratorSeconds - first.GeneratorSeconds;
        var nodes = last.NodeSeconds - first.NodeSeconds;
        Line($"CPU while the load ran ({seconds:0} s; {Environment.ProcessorCount} cores shared by the generator, the {run.Options.Nodes.Count} nodes, "
            + $"PostgreSQL and whatever else runs on the machine): the generator {generator:0.0} s ({generator / seconds:P0} of one core), "
            + $"the nodes {nodes:0.0} s ({nodes / seconds:P0} of one core); PostgreSQL not counted.");
        Line("  by phase                                 seconds    sent   generator µs/request   nodes µs/request");
        foreach (var (from, to) in run.CpuMarks.Zip(run.CpuMarks.Skip(1)))
        {
            var sent = Math.Max(1, deliveries.Count(d => d.Phase == from.Phase));
            Line(string.Create(CultureInfo.InvariantCulture,
                $"  {from.Phase,-38} {(to.At - from.At).TotalSeconds,8:0.0} {sent,7:N0} {(to.GeneratorSeconds - from.GeneratorSeconds) * 1e6 / sent,22:0} {(to.NodeSeconds - from.NodeSeconds) * 1e6 / sent,18:0}"));
        }
    }

    private string Target(bool met, string target)
    {
        _targets.Add(met);
        return $"   [target {target}: {(met ? "met ✓" : "MISSED ✗")}]";
    }

    private static string Count(IEnumerable<Delivery> some, Outcome outcome) => some.Count(d => d.Outcome == outcome).ToString("N0", CultureInfo.InvariantCulture);

    private double Delta(Func<SpoolReading, double> counter) =>
        run.CountersAfter.Select((after, i) => (after is null ? 0 : counter(after)) - (run.CountersBefore[i] is { } before ? counter(before) : 0)).Sum();

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString(part == whole ? "0" : "0.000", CultureInfo.InvariantCulture) + " %";

    private static double Milliseconds(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    private static double At(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void Line(string text = "") => Console.WriteLine(text);
}
