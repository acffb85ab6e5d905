using System.Diagnostics;
using System.Threading.Channels;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// Group commit, the same for every engine: appends queue up while a commit is in flight, and the next
/// transaction takes all of them, so many concurrent webhooks share one transaction and one flush. A lone
/// append commits at once; nothing waits on a timer. Each caller is answered only after its own transaction
/// committed. The engine's <see cref="IEventLogWriter"/> does the writing, or on a webhook node with a spool the
/// <see cref="Spool.SpoolingCommitter"/> in front of it.
/// </summary>
public sealed partial class GroupCommitScheduler : IWebhookEventStore, IHostedService, IDisposable
{
    // Appends, and now and then work to run between two commits (WriterWork).
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<IBatchCommitter> _open;
    private readonly CleanChatMetrics _metrics;
    private readonly ILogger<GroupCommitScheduler> _logger;
    private readonly int _maxBatchSize;
    private IBatchCommitter? _committer;
    private Thread? _thread;

    internal GroupCommitScheduler(
        Func<IBatchCommitter> open, IOptions<StorageOptions> options, CleanChatMetrics metrics, ILogger<GroupCommitScheduler> logger)
    {
        _open = open;
        _metrics = metrics;
        _logger = logger;
        _maxBatchSize = options.Value.MaxBatchSize;
    }

    public Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, StateChange? change, CancellationToken cancellationToken)
    {
        // Once queued, the append goes ahead even if the caller gives up: the answer is the commit's.
        var pending = new PendingAppend(webhookEvent, change);
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<AppendResult>(new StorageUnavailableException(
                "The event log is shutting down.", new ChannelClosedException()));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A thread of its own: every commit blocks until the database flushed, and that must not hold one of
        // the few thread-pool threads that serve the requests.
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "Event log writer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking appends, then commits everything already queued before returning.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return _thread is null ? Task.CompletedTask : _stopped.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    /// <summary>
    /// Runs <paramref name="work"/> on the writer's thread between two group commits, and waits for it: the appends
    /// queued before it are committed first, those after it wait. On SQLite, where the file has one writer at a time,
    /// work that writes (the retention job's deletes) then never contends with a commit for the lock: SQLite's busy
    /// handler would make the loser sleep in steps of up to 100 ms. Runs on the calling thread when the writer is not
    /// running (not started, or stopped).
    /// </summary>
    public T RunBetweenCommits<T>(Func<T> work)
    {
        var item = new WriterWork<T>(work);
        if (_thread is null || !_queue.Writer.TryWrite(item))
        {
            return work();
        }

        return item.Result();
    }

    private void WriteLoop()
    {
        var batch = new List<PendingAppend>(_maxBatchSize);
        var reader = _queue.Reader;
        try
        {
            while (WaitToRead(reader))
            {
                while (batch.Count < _maxBatchSize && reader.TryRead(out var item))
                {
                    if (item is PendingAppend pending)
                    {
                        batch.Add(pending);
                        continue;
                    }

                    // Between commits: after the appends queued before it, before those queued after it.
                    Commit(batch);
                    ((WriterWork)item).Run();
                }

                Commit(batch);
            }
        }
        finally
        {
            _committer?.Dispose();
            _stopped.TrySetResult();
        }
    }

    // Blocking is right here: this thread exists only to wait for appends and write them.
    private static bool WaitToRead(ChannelReader<object> reader)
    {
        var waiting = reader.WaitToReadAsync();
        return waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Commits <paramref name="batch"/>, answers its callers and empties it.</summary>
    private void Commit(List<PendingAppend> batch)
    {
        if (batch.Count > 0)
        {
            CommitAndAnswer(batch);
            batch.Clear();
        }
    }

    private void CommitAndAnswer(List<PendingAppend> batch)
    {
        var started = Stopwatch.GetTimestamp();
        // The commit serves many requests, so it is linked to each of their spans rather than a child of one.
        using var activity = CleanChatTelemetry.ActivitySource.StartActivity(
            ActivityKind.Internal, parentContext: default, name: "commit",
            links: CleanChatTelemetry.ActivitySource.HasListeners() ? Links(batch) : null);
        activity?.SetTag("cleanchat.batch.size", batch.Count);
        while (batch.Count > 0)
        {
            try
            {
                var results = new AppendResult[batch.Count];
                (_committer ??= _open()).Commit(batch, results);
                _metrics.BatchCommitted(batch.Count, results.Count(r => r.Duplicate), Stopwatch.GetElapsedTime(started));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }

                return;
            }
            catch (EventRefusedException e)
            {
                // The database refuses this one event: it fails alone, and the rest go again without it.
                LogEventRefused(e.InnerException!);
                Fail(batch[e.Index], e.InnerException!);
                batch.RemoveAt(e.Index);
            }
            catch (Exception e)
            {
                // A failed batch fails only its own appends; the next batch opens a fresh connection, so the
                // writer recovers by itself once the fault (disk full, database down...) is cleared.
                LogBatchFailed(batch.Count, e);
                _metrics.BatchFailed(batch.Count, Stopwatch.GetElapsedTime(started));
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                _committer?.Dispose();
                _committer = null;
                foreach (var pending in batch)
                {
                    Fail(pending, e);
                }

                return;
            }
        }
    }

    private static List<ActivityLink>? Links(List<PendingAppend> batch)
    {
        List<ActivityLink>? links = null;
        foreach (var pending in batch)
        {
            if (pending.Caller is { } caller)
            {
                (links ??= []).Add(new ActivityLink(caller));
            }
        }

        return links;
    }

    private static void Fail(PendingAppend pending, Exception cause) =>
        pending.Completion.TrySetException(new StorageUnavailableException("The event could not be committed to the database.", cause));

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} events failed")]
    private partial void LogBatchFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused an event; the rest of its group commit goes ahead")]
    private partial void LogEventRefused(Exception exception);
}
