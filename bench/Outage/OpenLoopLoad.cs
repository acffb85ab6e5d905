using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CleanChat.Outage;

/// <summary>The run's phases, in order; each delivery is stamped with the phase it was sent in.</summary>
internal enum Phase
{
    /// <summary>The first half of the warm-up: the rate rising, JIT, connections. Checked for lost or doubled callbacks, not judged for its answers.</summary>
    WarmUp,

    /// <summary>The second half of the warm-up: normal operation, callbacks committed to PostgreSQL (unless a commit misses its budget).</summary>
    Before,

    /// <summary>From the hard stop until PostgreSQL accepts connections again (its restart and recovery included).</summary>
    Down,

    /// <summary>From then until every node's spool is empty.</summary>
    Draining,

    /// <summary>The few seconds after that, back to normal.</summary>
    After,
}

internal enum Outcome
{
    Pending,
    Ok,
    ServerError,
    OtherAnswer,
    Timeout,

    /// <summary>No answer at all: the connection was refused or broken.</summary>
    NoAnswer,

    /// <summary>Not sent: the generator already had its cap of requests in flight (see <see cref="OpenLoopLoad"/>).</summary>
    NotSent,
}

/// <summary>One request sent: where, when, in which phase, and what came back.</summary>
internal sealed class Delivery(long index, Node node, Phase phase, long scheduledAt)
{
    public long Index { get; } = index;
    public Node Node { get; } = node;
    public Phase Phase { get; } = phase;

    /// <summary>When the schedule said to send it (Stopwatch ticks).</summary>
    public long ScheduledAt { get; } = scheduledAt;

    public long SentAt { get; set; }
    public Outcome Outcome { get; set; }
    public double LatencyMs { get; set; }
    public string? Detail { get; set; }
}

/// <summary>
/// An open loop: requests leave on a fixed schedule, <c>rate</c> per second in total, round-robin over the nodes,
/// none waiting for another's answer, so a slow node cannot slow the load down the way a closed loop (wrk) would and
/// the outage's answers are measured at the rate Tencent would keep sending. Each request gets Tencent's 2 s.
/// <para>
/// The rate rises linearly from 0 over the first <c>rampSeconds</c>, so that the nodes are warm (JIT, connections open)
/// before the full rate: at 3,400/s from the first second, cold nodes timed out the first requests, each timeout closed
/// its connection, and the requests after them opened new ones and timed out in turn.
/// </para>
/// <para>
/// At most <c>rate × 4 s</c> requests are in flight, twice what the 2 s timeout allows at the full rate: more only
/// happens when the generator itself is starved of CPU and its timeouts fire late. Past the cap a request is recorded
/// as not sent (and not OK) instead; uncapped, one such run held 55,000 requests and the generator ran out of memory.
/// </para>
/// </summary>
internal sealed class OpenLoopLoad : IDisposable
{
    public static readonly TimeSpan TencentWaits = TimeSpan.FromSeconds(2);

    /// <summary>Enough for 1,000 requests/s to a node answering in 1 s; Kestrel's accept queue holds 512.</summary>
    public const int MaxConnectionsPerNode = 1_000;

    private readonly IReadOnlyList<Node> _nodes;
    private readonly Callbacks _callbacks;
    private readonly int _rate;
    private readonly double _rampSeconds;
    private readonly long _maxInFlight;
    private readonly HttpClient _http;
    private readonly List<Delivery> _deliveries = [];
    private readonly Thread _scheduler;
    private volatile bool _stopping;
    private volatile int _phase;
    private long _started;
    private long _sent;
    private long _ok;
    private long _notOk;
    private long _inFlight;
    private long _maxLateTicks;

    public OpenLoopLoad(IReadOnlyList<Node> nodes, Callbacks callbacks, int rate, double rampSeconds)
    {
        _nodes = nodes;
        _callbacks = callbacks;
        _rate = rate;
        _rampSeconds = rampSeconds;
        _maxInFlight = Math.Max(1_000, rate * 4L);
        _http = new HttpClient(new SocketsHttpHandler
        {
            // HTTP/1.1 carries one request at a time per connection, so an open loop needs as many connections as it
            // has requests in flight. Capped all the same, as a sender's pool is: uncapped, an overloaded run opened
            // 13,000 connections at once and overflowed the nodes' accept queues (SYNs dropped, retried after 1 s).
            // Past the cap a request waits in the client, and that wait counts in its 2 s.
            MaxConnectionsPerServer = MaxConnectionsPerNode,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = TencentWaits,
        };
        _scheduler = new Thread(Schedule) { IsBackground = true, Name = "Open-loop scheduler" };
    }

    public Phase Current
    {
        get => (Phase)_phase;
        set => _phase = (int)value;
    }

    public long Sent => Interlocked.Read(ref _sent);
    public long Ok => Interlocked.Read(ref _ok);
    public long NotOk => Interlocked.Read(ref _notOk);
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>The most a request left after its scheduled time: how far the generator itself fell behind.</summary>
    public TimeSpan MaxLateness => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxLateTicks));

    /// <summary>Every delivery sent; read it only after <see cref="StopAsync"/>.</summary>
    public IReadOnlyList<Delivery> Deliveries => _deliveries;

    public void Start()
    {
        _started = Stopwatch.GetTimestamp();
        _scheduler.Start();
    }

    /// <summary>Stops sending and waits for the answers still due (at most Tencent's 2 s and a little).</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        _scheduler.Join();
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (InFlight > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
        }
    }

    public void Dispose() => _http.Dispose();

    private void Schedule()
    {
        long next = 0;
        while (!_stopping)
        {
            // Everything due by now leaves now: a late wake-up sends a burst, keeping the rate, rather than losing sends.
            for (var due = DueBy(Stopwatch.GetElapsedTime(_started).TotalSeconds); next < due && !_stopping; next++)
            {
                var scheduledAt = _started + (long)(TimeOf(next) * Stopwatch.Frequency);
                var delivery = new Delivery(next, _nodes[(int)(next % _nodes.Count)], Current, scheduledAt);
                _deliveries.Add(delivery);
                _ = SendAsync(delivery);
            }

            // Asleep until the next one is due, at least 1 ms: each wake-up costs CPU the nodes share (tens of µs on
            // this kind of virtual machine), so at high rates a wake-up sends a few requests rather than one.
            var untilNext = TimeOf(next) - Stopwatch.GetElapsedTime(_started).TotalSeconds;
            Thread.Sleep(Math.Max(1, (int)(untilNext * 1000)));
        }
    }

    // How many requests are due by second t: the integral of a rate rising linearly to _rate over the ramp, then flat.
    private long DueBy(double t) =>
        (long)(t < _rampSeconds ? _rate * t * t / (2 * _rampSeconds) : _rate * (t - (_rampSeconds / 2))) + 1;

    // When request n is due (seconds from the start): DueBy's inverse.
    private double TimeOf(long n) =>
        n < _rate * _rampSeconds / 2 ? Math.Sqrt(2 * n * _rampSeconds / _rate) : ((double)n / _rate) + (_rampSeconds / 2);

    private async Task SendAsync(Delivery delivery)
    {
        if (InFlight >= _maxInFlight)
        {
            delivery.Outcome = Outcome.NotSent;
            Interlocked.Increment(ref _notOk);
            return;
        }

        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref _inFlight);
        delivery.SentAt = Stopwatch.GetTimestamp();
        var late = delivery.SentAt - delivery.ScheduledAt;
        for (var max = Interlocked.Read(ref _maxLateTicks); late > max; max = Interlocked.Read(ref _maxLateTicks))
        {
            if (Interlocked.CompareExchange(ref _maxLateTicks, late, max) == max)
            {
                break;
            }
        }

        try
        {
            using var content = new ByteArrayContent(_callbacks.Body(delivery.Index));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(new Uri(delivery.Node.Address, _callbacks.PathAndQuery()), content);
            var body = await response.Content.ReadAsByteArrayAsync();
            delivery.LatencyMs = Stopwatch.GetElapsedTime(delivery.SentAt).TotalMilliseconds;
            (delivery.Outcome, delivery.Detail) = Judge(response.StatusCode, body);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            delivery.Outcome = Outcome.Timeout;
        }
        catch (Exception e)
        {
            // Anything else is a request that got no answer; kept with its reason, never thrown away unseen.
            delivery.Outcome = Outcome.NoAnswer;
            delivery.Detail = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            Interlocked.Increment(ref delivery.Outcome == Outcome.Ok ? ref _ok : ref _notOk);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // OK as Tencent reads it: 200 with ActionStatus OK and ErrorCode 0 (tests/Resilience.Tests/WebhookClient.cs).
    private static (Outcome, string?) Judge(HttpStatusCode status, byte[] body)
    {
        string? actionStatus = null;
        var errorCode = -1;
        try
        {
            using var answer = JsonDocument.Parse(body);
            actionStatus = answer.RootElement.GetProperty("ActionStatus").GetString();
            errorCode = answer.RootElement.GetProperty("ErrorCode").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a Tencent answer: judged by its status below, and shown as it is.
        }

        if (status == HttpStatusCode.OK && actionStatus == "OK" && errorCode == 0)
        {
            return (Outcome.Ok, null);
        }

        var detail = $"{(int)status} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)))}";
        return (status == HttpStatusCode.InternalServerError ? Outcome.ServerError : Outcome.OtherAnswer, detail);
    }
}
