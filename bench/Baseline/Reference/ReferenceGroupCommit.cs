using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace CleanChat.Baseline.Reference;

/// <summary>
/// A hand-written group commit: callers queue their event, one thread of its own takes everything queued (up to
/// <see cref="MaxBatchSize"/>) into one transaction, and each caller is answered only after its own transaction
/// committed. A lone event commits at once; nothing waits on a timer. That is the whole of it: no retry of a
/// failed batch, no refused-event split, no metrics library, no tracing.
/// </summary>
internal sealed partial class ReferenceGroupCommit(IReferenceWriter writer, ILogger<ReferenceGroupCommit> logger) : IHostedService
{
    /// <summary>CleanChat's default <c>Storage:MaxBatchSize</c>; 64 connections never fill it.</summary>
    private const int MaxBatchSize = 512;

    private readonly Channel<PendingEvent> _queue = Channel.CreateUnbounded<PendingEvent>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    // Committed batches, the events in them and the time spent committing them, for bench/run.sh.
    private long _commits;
    private long _events;
    private long _commitTicks;

    /// <summary>True once the event's transaction committed; false if it failed or the host is stopping.</summary>
    public Task<bool> AppendAsync(DestroyedEvent destroyed)
    {
        var pending = new PendingEvent(destroyed);
        return _queue.Writer.TryWrite(pending) ? pending.Committed.Task : Task.FromResult(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A thread of its own, as CleanChat's writer has: each commit blocks until the flush, which must not hold
        // one of the thread-pool threads that serve the requests.
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "Reference writer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking events, then commits everything already queued.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return _thread is null ? Task.CompletedTask : _stopped.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The counters under the names of CleanChat's group-commit metrics, so bench/run.sh reads both with one function.
    /// </summary>
    public string Metrics() => string.Create(CultureInfo.InvariantCulture, $$"""
        cleanchat_store_commit_duration_seconds_count{outcome="committed"} {{Interlocked.Read(ref _commits)}}
        cleanchat_store_commit_duration_seconds_sum{outcome="committed"} {{Interlocked.Read(ref _commitTicks) / (double)Stopwatch.Frequency}}
        cleanchat_store_batch_size_sum {{Interlocked.Read(ref _events)}}

        """);

    private void WriteLoop()
    {
        var batch = new List<PendingEvent>(MaxBatchSize);
        var reader = _queue.Reader;
        try
        {
            while (WaitToRead(reader))
            {
                while (batch.Count < MaxBatchSize && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                var started = Stopwatch.GetTimestamp();
                var committed = false;
                try
                {
                    writer.Commit(batch);
                    committed = true;
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _events, batch.Count);
                    Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - started);
                }
                catch (Exception e)
                {
                    LogBatchFailed(batch.Count, e);
                }

                foreach (var pending in batch)
                {
                    pending.Committed.TrySetResult(committed);
                }

                batch.Clear();
            }
        }
        finally
        {
            writer.Dispose();
            _stopped.TrySetResult();
        }
    }

    // Blocking is right here: this thread exists only to wait for events and write them.
    private static bool WaitToRead(ChannelReader<PendingEvent> reader)
    {
        var waiting = reader.WaitToReadAsync();
        return waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} events failed")]
    private partial void LogBatchFailed(int count, Exception exception);
}
