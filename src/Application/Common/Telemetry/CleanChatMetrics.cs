using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CleanChat.Application.Common.Telemetry;

/// <summary>
/// Every CleanChat instrument, in one place. Tags are bounded sets (known commands, error codes, outcomes),
/// never raw input, so a caller cannot blow up the number of series.
/// </summary>
public sealed class CleanChatMetrics
{
    private readonly Counter<long> _webhooksReceived;
    private readonly Counter<long> _webhooksRefused;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly UpDownCounter<long> _watchStreamsOpen;
    private readonly Histogram<long> _watchLag;

    public CleanChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(CleanChatTelemetry.Name);
        _webhooksReceived = meter.CreateCounter<long>(
            "cleanchat.webhooks.received", "{webhook}", "Webhook deliveries answered, by callback command and outcome (ok, refused, failed).");
        _webhooksRefused = meter.CreateCounter<long>(
            "cleanchat.webhooks.refused", "{webhook}", "Webhook deliveries refused, by reason (the answer's ErrorCode name).");
        _duplicates = meter.CreateCounter<long>(
            "cleanchat.events.duplicates", "{event}", "Deliveries already stored, answered OK without storing them again.");
        _batchSize = meter.CreateHistogram(
            "cleanchat.store.batch.size", "{event}", "Events per group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _commitDuration = meter.CreateHistogram(
            "cleanchat.store.commit.duration", "s", "Time to commit one group of events, by outcome (committed, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _watchStreamsOpen = meter.CreateUpDownCounter<long>(
            "cleanchat.watch.streams", "{stream}", "gRPC watch streams open now.");
        _watchLag = meter.CreateHistogram<long>(
            "cleanchat.watch.lag", "{event}", "How many events a watch stream is behind the log's head when it sends.");
    }

    /// <param name="callbackCommand">A command the registry knows, or "other": never the raw query value.</param>
    /// <param name="refusalReason">Null when answered OK; otherwise the answer's ErrorCode name.</param>
    public void WebhookAnswered(string callbackCommand, string? refusalReason, bool storageFailure)
    {
        var outcome = refusalReason is null ? "ok" : storageFailure ? "failed" : "refused";
        _webhooksReceived.Add(1, new TagList { { "callback_command", callbackCommand }, { "outcome", outcome } });
        if (refusalReason is not null)
        {
            _webhooksRefused.Add(1, new KeyValuePair<string, object?>("reason", refusalReason));
        }
    }

    public void BatchCommitted(int size, int duplicates, TimeSpan elapsed)
    {
        _batchSize.Record(size);
        _commitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "committed"));
        if (duplicates > 0)
        {
            _duplicates.Add(duplicates);
        }
    }

    public void BatchFailed(int size, TimeSpan elapsed)
    {
        _batchSize.Record(size);
        _commitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    // Hooks for the gRPC watch stream: open/close around the stream's lifetime, lag on each send.
    public void WatchStreamOpened() => _watchStreamsOpen.Add(1);

    public void WatchStreamClosed() => _watchStreamsOpen.Add(-1);

    /// <param name="eventsBehind">The log's newest sequence minus the sequence just sent.</param>
    public void WatchLag(long eventsBehind) => _watchLag.Record(eventsBehind);
}
