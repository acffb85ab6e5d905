using System.Data.Common;
using System.Diagnostics;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Common.Ports;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Spool;

/// <summary>
/// Moves spooled callbacks to PostgreSQL, oldest first, a large batch per transaction through the engine's own writer
/// (the same statements, commit lock, state changes and NOTIFY as a live commit), and removes a batch from the spool
/// only once it has committed. A delivery the log already holds (a commit that landed after its budget, a Tencent
/// retry stored by another node) comes back as a duplicate and is stored once. While the database does not answer,
/// it tries again after a pause that doubles up to <see cref="MaxPause"/>; a commit lock busy past its timeout is tried again at once. On a node started without its database,
/// it first runs the start-up work (migrations, state replay).
/// </summary>
internal sealed partial class SpoolDrainer(
    EventSpool spool, IEventLogWriterFactory writers, StoredCallbacks callbacks, DatabaseStartup startup, IDatabaseMigrator migrator,
    StateReplay replay, SpoolTelemetry telemetry, IOptions<SpoolOptions> options, TimeProvider clock, ILogger<SpoolDrainer> logger) : IHostedService, IDisposable
{
    // Short pauses: a try while the database is down costs one refused connection, and a long pause would hold the
    // drain (and every callback still going to the spool) back for that long after the database is back.
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    /// <summary>PostgreSQL's lock_not_available: the commit lock was busy past lock_timeout (other nodes' commits).</summary>
    private const string LockNotAvailable = "55P03";

    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _batchSize = options.Value.DrainBatchSize;
    private Thread? _thread;
    private int _stopRequested;
    private int _disposed;
    private IEventLogWriter? _writer;
    private TimeSpan _pause = FirstPause;
    private bool _failing;
    private long _drainedThisEpisode;
    private Stopwatch? _episode;

    /// <summary>Tells the drainer the spool has something new.</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _stopRequested) == 0 && _wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (spool.Depth > 0)
        {
            LogFoundAtStart(spool.Depth, spool.FilePath);
        }

        // A thread of its own: each batch blocks on the database, as the group commit's does.
        _thread = new Thread(Run) { IsBackground = true, Name = "Spool drainer" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        // A drain still blocked on the database past the join keeps its thread: what it uses is left to the finalizers.
        if (_thread is not { IsAlive: true } && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _writer?.Dispose();
            _stopping.Dispose();
            _wake.Dispose();
        }
    }

    // What is still spooled stays in the file and drains at the next start. Idempotent: the host stops, then disposes.
    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            _stopping.Cancel();
            _wake.Release();
            _thread?.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        var stop = _stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            if (startup.IsPending)
            {
                Attempt(RunStartupWork);
            }
            else if (spool.Depth > 0)
            {
                Attempt(DrainOneBatch);
            }
            else
            {
                _wake.Wait(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Attempt(Action step)
    {
        try
        {
            step();
            _pause = FirstPause;
            _failing = false;
        }
        catch (DbException e) when (e.SqlState == LockNotAvailable && !_stopping.IsCancellationRequested)
        {
            // The database answers; other nodes' commits held the lock. Nothing was committed: go again at once.
            _writer?.Dispose();
            _writer = null;
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            _writer?.Dispose();
            _writer = null;
            if (!_failing)
            {
                // Once per outage, not once per attempt.
                LogWaiting(spool.Depth, e.Message);
                _failing = true;
            }

            _stopping.Token.WaitHandle.WaitOne(_pause);
            _pause = TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    private void RunStartupWork()
    {
        migrator.Migrate();
        replay.Run(_stopping.Token);
        startup.Complete();
        LogStartupWorkDone();
    }

    private void DrainOneBatch()
    {
        var started = Stopwatch.GetTimestamp();
        var spooled = spool.ReadOldest(_batchSize);
        if (spooled.Count == 0)
        {
            return;
        }

        _episode ??= Stopwatch.StartNew();
        var batch = new List<PendingAppend>(spooled.Count);
        foreach (var e in spooled)
        {
            // The state change comes from the callback's own handler, as for an event stored before it was typed.
            batch.Add(new PendingAppend(e with { Sequence = 0 }, callbacks.ChangeOf(e)));
        }

        try
        {
            (_writer ??= writers.Open()).Commit(batch, new AppendResult[batch.Count]);
        }
        catch (EventRefusedException refused)
        {
            // Answered OK long ago, so never dropped: kept in the spool file for an operator, and the rest goes on.
            var e = spooled[refused.Index];
            spool.SetAside(e.Sequence, refused.InnerException?.Message ?? refused.Message, clock.GetUtcNow());
            telemetry.Refused();
            LogRefused(e.CallbackCommand, e.DeliveryKey, spool.FilePath, refused.InnerException);
            return;
        }

        spool.RemoveThrough(spooled[^1].Sequence);
        telemetry.Drained(spooled.Count, Stopwatch.GetElapsedTime(started));
        _drainedThisEpisode += spooled.Count;
        if (spool.Depth == 0)
        {
            LogEmpty(_drainedThisEpisode, _episode.Elapsed.TotalSeconds);
            (_drainedThisEpisode, _episode) = (0, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The spool {Path} holds {Depth} callbacks from before this start; draining them to the database")]
    private partial void LogFoundAtStart(long depth, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database does not answer ({Reason}); {Depth} callbacks wait in the spool, retrying")]
    private partial void LogWaiting(long depth, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database answers again: migrations and state replay ran, the spool drains")]
    private partial void LogStartupWorkDone();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The spool is empty again: {Count} callbacks drained to the database in {Seconds:0.0} s")]
    private partial void LogEmpty(long count, double seconds);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The database refused spooled callback {CallbackCommand} (delivery key {DeliveryKey}); it is kept in refused_events of {Path}")]
    private partial void LogRefused(string callbackCommand, string deliveryKey, string path, Exception? exception);
}
