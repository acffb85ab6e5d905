using System.Diagnostics.Metrics;
using CleanChat.Application.Common.Telemetry;

namespace CleanChat.Infrastructure.Spool;

/// <summary>The spool's instruments, on CleanChat's meter: what went in, what is held, what drained and how fast.</summary>
internal sealed class SpoolTelemetry
{
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _drained;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _drainDuration;

    public SpoolTelemetry(IMeterFactory meterFactory, EventSpool spool, TimeProvider clock)
    {
        var meter = meterFactory.Create(CleanChatTelemetry.Name);
        _spooled = meter.CreateCounter<long>(
            "cleanchat.spool.spooled", "{event}", "Callbacks answered OK from this node's spool because the database could not take them in time.");
        _drained = meter.CreateCounter<long>(
            "cleanchat.spool.drained", "{event}", "Spooled callbacks committed to the database (duplicates of a commit that landed late included).");
        _refused = meter.CreateCounter<long>(
            "cleanchat.spool.refused", "{event}", "Spooled callbacks the database refused for what they hold, set aside in the spool's refused_events.");
        _drainDuration = meter.CreateHistogram(
            "cleanchat.spool.drain.duration", "s", "Time to move one batch of spooled callbacks to the database.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        meter.CreateObservableGauge("cleanchat.spool.depth", () => spool.Depth, "{event}", "Callbacks held in this node's spool now.");
        meter.CreateObservableGauge("cleanchat.spool.oldest_age",
            () => spool.OldestReceiveTime is { } oldest ? (clock.GetUtcNow() - oldest).TotalSeconds : 0,
            "s", "How long the oldest callback in the spool has waited; 0 when it is empty.");
    }

    public void Spooled(int count) => _spooled.Add(count);

    public void Drained(int count, TimeSpan elapsed)
    {
        _drained.Add(count);
        _drainDuration.Record(elapsed.TotalSeconds);
    }

    public void Refused() => _refused.Add(1);
}
