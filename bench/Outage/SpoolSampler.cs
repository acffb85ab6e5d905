using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CleanChat.Outage;

/// <summary>What one scrape of a node's <c>/metrics</c> said about its spool.</summary>
internal sealed record SpoolReading(double Depth, double Spooled, double Drained, double DrainSeconds, double DrainBatches);

/// <summary>
/// Reads every node's <c>/metrics</c> and <c>/readyz</c> once a second: the spool's depth (its sum over the nodes and
/// that sum's peak), its counters, and whether each node said it was ready. A scrape that fails or takes over two
/// seconds is counted and the node's last reading kept. It reads the nodes' logs as they grow too: a node overloaded
/// past answering <c>/metrics</c> in time still logs when its spool is empty again.
/// </summary>
internal sealed class SpoolSampler : IDisposable
{
    private readonly IReadOnlyList<Node> _nodes;
    private readonly IReadOnlyList<NodeLog> _logs;
    // Two seconds: a node busy with an outage's backlog may be slow to answer, and a missed reading is only skipped.
    private readonly HttpClient _http = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(2) };
    private readonly SpoolReading?[] _latest;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampling;

    public SpoolSampler(IReadOnlyList<Node> nodes, IReadOnlyList<NodeLog> logs)
    {
        _nodes = nodes;
        _logs = logs;
        _latest = new SpoolReading?[nodes.Count];
    }

    /// <summary>The largest depth summed over the nodes in one round of scrapes.</summary>
    public double PeakDepth { get; private set; }

    /// <summary>When the last round of scrapes finished (Stopwatch ticks), and whether every node answered in it.</summary>
    public long LastRoundAt { get; private set; }
    public bool LastRoundComplete { get; private set; }

    public int FailedScrapes { get; private set; }
    public int NotReadyAnswers { get; private set; }
    public List<string> NotReadySamples { get; } = [];

    /// <summary>Each node's last reading; null for a node never read.</summary>
    public IReadOnlyList<SpoolReading?> Latest
    {
        get
        {
            lock (_gate)
            {
                return [.. _latest];
            }
        }
    }

    public double Depth => Latest.Sum(r => r?.Depth ?? 0);

    public void Start() => _sampling = Task.Run(SampleAsync);

    /// <summary>One round now, outside the once-a-second rhythm: the readings at the start and end of the run.</summary>
    public Task SampleOnceAsync() => RoundAsync();

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_sampling is not null)
        {
            await _sampling;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Waits until every spool is empty: a round of scrapes that began after <paramref name="after"/> (Stopwatch ticks)
    /// in which every node answered with depth 0, or, read after that, every node's log saying its spool is empty again.
    /// False when <paramref name="patience"/> runs out first.
    /// </summary>
    public async Task<bool> WaitUntilEmptyAsync(long after, TimeSpan patience)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            lock (_gate)
            {
                if (LastRoundAt > after && ((LastRoundComplete && _latest.All(r => r is { Depth: 0 })) || _logs.All(l => l.SaysEmpty)))
                {
                    return true;
                }
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                await RoundAsync();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped at the end of the run.
        }
    }

    private async Task RoundAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var readings = await Task.WhenAll(_nodes.Select(ScrapeAsync));
        lock (_gate)
        {
            foreach (var log in _logs)
            {
                log.ReadNew();
            }

            for (var i = 0; i < readings.Length; i++)
            {
                _latest[i] = readings[i] ?? _latest[i];
            }

            var complete = readings.All(r => r is not null);
            FailedScrapes += readings.Count(r => r is null);
            // A node that did not answer this round counts with its last depth, so a slow scrape hides no peak.
            PeakDepth = Math.Max(PeakDepth, _latest.Sum(r => r?.Depth ?? 0));

            LastRoundAt = started;
            LastRoundComplete = complete;
        }
    }

    private async Task<SpoolReading?> ScrapeAsync(Node node)
    {
        try
        {
            using var ready = await _http.GetAsync(new Uri(node.Address, "/readyz"));
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                var body = await ready.Content.ReadAsStringAsync();
                lock (_gate)
                {
                    NotReadyAnswers++;
                    if (NotReadySamples.Count < 5)
                    {
                        NotReadySamples.Add($"node {node.Number}: {(int)ready.StatusCode} {body}");
                    }
                }
            }

            var text = await _http.GetStringAsync(new Uri(node.Address, "/metrics"));
            var values = Parse(text);
            double Value(string name) => values.GetValueOrDefault(name);
            return new SpoolReading(
                Value("cleanchat_spool_depth"),
                Value("cleanchat_spool_spooled_total"),
                Value("cleanchat_spool_drained_total"),
                Value("cleanchat_spool_drain_duration_seconds_sum"),
                Value("cleanchat_spool_drain_duration_seconds_count"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Prometheus text: each metric's value, summed over its label sets; comments skipped.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp], or name value [timestamp]
            var nameEnd = line.IndexOfAny(['{', ' ']);
            var valueStart = line[nameEnd] == '{' ? line.IndexOf("} ", nameEnd, StringComparison.Ordinal) + 2 : nameEnd + 1;
            var valueEnd = line.IndexOf(' ', valueStart);
            var value = line[valueStart..(valueEnd < 0 ? line.Length : valueEnd)];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                var name = line[..nameEnd];
                values[name] = values.GetValueOrDefault(name) + number;
            }
        }

        return values;
    }
}
