using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// Removes old events from the log every <c>Retention:IntervalSeconds</c>, on the webhook host. Each run removes a
/// gap-free prefix: from the floor up, batch by batch, the events received before the cut-off, stopping at the first
/// one that is not. A callback that reached PostgreSQL late (through a node's spool) has a sequence above younger
/// events, and is kept until everything below it ages out. Each batch is archived and confirmed on disk first
/// (<see cref="EventArchive"/>), then deleted with the floor moved in the same transaction. A run that fails (the
/// archive folder missing, read-only or full; the database down) deletes nothing more, logs why, counts a failed run
/// and tries again at the next interval; ingest never waits on it beyond one batch's delete.
/// </summary>
public sealed partial class RetentionJob(
    RetentionStore store,
    IOptions<RetentionOptions> options,
    EventArchive? archive,
    RetentionTelemetry telemetry,
    TimeProvider clock,
    ILogger<RetentionJob> logger) : BackgroundService
{
    public const string Completed = "completed";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    private readonly Lock _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        LogEnabled(settings.MaxAge!.Value, archive?.Folder ?? "(none: Retention:DeleteWithoutArchive)", settings.IntervalSeconds);
        // Said when the host begins to stop: a stop waits for the run in progress to finish the batch it is on.
        using var stopping = stoppingToken.Register(LogStopping);
        // The first run comes one interval after start-up, not during it: a node starting (or restarting in a rolling
        // deploy) takes callbacks first.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.IntervalSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // The run is synchronous I/O (files, the database): off the host's threads.
            await Task.Run(() => RunOnce(stoppingToken), stoppingToken);
        }
    }

    /// <summary>One run, now; the background loop calls it, and so can a test or an operator's command.</summary>
    public RetentionRun RunOnce(CancellationToken cancellationToken = default)
    {
        lock (_running)
        {
            var settings = options.Value;
            var started = Stopwatch.GetTimestamp();
            var (floor, archived, deleted) = (0L, 0, 0);
            try
            {
                if (settings.MaxAge is not { } maxAge)
                {
                    return new RetentionRun(Skipped, 0, 0, 0, TimeSpan.Zero);
                }

                using var session = store.Open();
                if (session is null)
                {
                    return Finish(new RetentionRun(Skipped, 0, 0, 0, Stopwatch.GetElapsedTime(started)));
                }

                var cutoffMs = (clock.GetUtcNow() - maxAge).ToUnixTimeMilliseconds();
                floor = session.Floor();
                telemetry.Floor(floor);
                while (!cancellationToken.IsCancellationRequested)
                {
                    var batchStarted = Stopwatch.GetTimestamp();
                    // A range archived by a run that stopped before its delete is deleted as it was archived: its
                    // events were all older than that run's cut-off, so they are older than this one's.
                    long last;
                    if (archive?.FindFrom(floor) is { } leftOver)
                    {
                        last = leftOver.Last;
                    }
                    else
                    {
                        var batch = session.ReadBatch(floor, settings.BatchSize);
                        var old = batch.TakeWhile(e => e.ReceiveTime.ToUnixTimeMilliseconds() < cutoffMs).ToList();
                        if (old.Count == 0)
                        {
                            break;
                        }

                        if (archive is not null)
                        {
                            archive.Write(old);
                            archived += old.Count;
                            telemetry.Archived(old.Count);
                        }

                        last = old[^1].Sequence;
                    }

                    var removed = session.DeleteBelow(floor, last + 1);
                    if (removed < 0)
                    {
                        break; // the floor moved under this run: another run is at work; stop here
                    }

                    deleted += removed;
                    telemetry.Deleted(removed);
                    floor = last + 1;
                    telemetry.Floor(floor);
                    // Rest before the next batch (a stop request cuts it short), so ingest is not starved of the lock or the CPU.
                    cancellationToken.WaitHandle.WaitOne(Stopwatch.GetElapsedTime(batchStarted) * settings.RestRatio);
                }

                var run = Finish(new RetentionRun(Completed, floor, archived, deleted, Stopwatch.GetElapsedTime(started)));
                if (deleted > 0)
                {
                    LogRan(deleted, archived, floor, run.Elapsed.TotalSeconds);
                }

                return run;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(floor, deleted, e.Message, e);
                return Finish(new RetentionRun(Failed, floor, archived, deleted, Stopwatch.GetElapsedTime(started)));
            }
        }
    }

    private RetentionRun Finish(RetentionRun run)
    {
        telemetry.Ran(run.Outcome, run.Elapsed);
        return run;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention on: events older than {MaxAge} are archived to {Archive} and deleted, every {IntervalSeconds} s")]
    private partial void LogEnabled(TimeSpan maxAge, string archive, int intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention job stopping: a run in progress ends after the batch it is on")]
    private partial void LogStopping();

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Deleted} events ({Archived} archived); the log now starts at sequence {Floor} ({Seconds:0.000} s)")]
    private partial void LogRan(int deleted, int archived, long floor, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention run failed and stopped at floor {Floor} after deleting {Deleted} events; nothing above the floor was touched, the next run tries again: {Reason}")]
    private partial void LogFailed(long floor, int deleted, string reason, Exception exception);
}
