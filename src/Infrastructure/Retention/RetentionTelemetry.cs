using System.Diagnostics.Metrics;
using CleanChat.Application.Common.Telemetry;

namespace CleanChat.Infrastructure.Retention;

/// <summary>The retention job's instruments, on CleanChat's meter: the floor, what was archived and deleted, each run.</summary>
public sealed class RetentionTelemetry
{
    private readonly Counter<long> _archived;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private long _floor = 1;
    private long _lastRunSeconds;

    public RetentionTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(CleanChatTelemetry.Name);
        _archived = meter.CreateCounter<long>(
            "cleanchat.retention.archived", "{event}", "Events written to the archive (checked on disk) by the retention job.");
        _deleted = meter.CreateCounter<long>(
            "cleanchat.retention.deleted", "{event}", "Events deleted from the log by the retention job.");
        _runs = meter.CreateCounter<long>(
            "cleanchat.retention.runs", "{run}", "Retention runs, by outcome (completed, skipped: another node holds the job, failed).");
        _runDuration = meter.CreateHistogram(
            "cleanchat.retention.run.duration", "s", "Time one retention run took, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
        meter.CreateObservableGauge("cleanchat.retention.floor", () => Interlocked.Read(ref _floor), "{sequence}",
            "The first sequence the log still holds, as this node's retention job last saw it.");
        meter.CreateObservableGauge("cleanchat.retention.last_run.duration", () => Interlocked.Read(ref _lastRunSeconds) / 1000.0, "s",
            "How long this node's last retention run took.");
    }

    public void Floor(long floor) => Interlocked.Exchange(ref _floor, floor);

    public void Archived(int count) => _archived.Add(count);

    public void Deleted(int count) => _deleted.Add(count);

    public void Ran(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _runs.Add(1, tag);
        _runDuration.Record(elapsed.TotalSeconds, tag);
        Interlocked.Exchange(ref _lastRunSeconds, (long)elapsed.TotalMilliseconds);
    }
}
