using CleanChat.Application.Common.Ports;
using CleanChat.Infrastructure.Events;

namespace CleanChat.Infrastructure.Spool;

/// <summary>
/// Runs an engine writer's commits on a thread of its own, so that the group-commit thread can stop waiting when the
/// budget is spent. A commit given up on is not cancelled: it may still land, and the delivery keys then store its
/// events once. Its thread finishes it, closes its connection and ends; the next commit gets a new thread and connection.
/// </summary>
internal sealed class BoundedCommitter(IEventLogWriterFactory writers) : IDisposable
{
    private Worker? _worker;

    /// <summary>
    /// Commits <paramref name="batch"/> unless that takes longer than <paramref name="budget"/>. Null when it committed
    /// (results filled); otherwise why not: the database's exception, or a <see cref="TimeoutException"/>. An
    /// <see cref="EventRefusedException"/> is thrown, as the writer threw it.
    /// </summary>
    public Exception? TryCommit(IReadOnlyList<PendingAppend> batch, AppendResult[] results, TimeSpan budget)
    {
        var worker = _worker ??= new Worker(writers);
        var job = worker.Start(batch);
        if (!job.Done.Wait(budget))
        {
            worker.Dispose();
            _worker = null;
            return new TimeoutException($"The commit took longer than its budget of {budget.TotalMilliseconds:0} ms (Storage:Spool:CommitBudgetMs).");
        }

        job.Done.Dispose();
        switch (job.Fault)
        {
            case null:
                job.Results.CopyTo(results, 0);
                return null;
            case EventRefusedException refused:
                throw refused;
            default:
                return job.Fault;
        }
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _worker = null;
    }

    private sealed class Job(PendingAppend[] batch)
    {
        public PendingAppend[] Batch { get; } = batch;
        public AppendResult[] Results { get; } = new AppendResult[batch.Length];
        public ManualResetEventSlim Done { get; } = new();
        public Exception? Fault { get; set; }
    }

    private sealed class Worker : IDisposable
    {
        private readonly IEventLogWriterFactory _writers;
        private readonly SemaphoreSlim _ready = new(0);
        private Job? _job;
        private volatile bool _abandoned;
        private IEventLogWriter? _writer;

        public Worker(IEventLogWriterFactory writers)
        {
            _writers = writers;
            new Thread(Run) { IsBackground = true, Name = "Database commit" }.Start();
        }

        public Job Start(IReadOnlyList<PendingAppend> batch)
        {
            // A copy: the caller reuses its list, and a commit given up on still reads this one.
            var job = new Job([.. batch]);
            Volatile.Write(ref _job, job);
            _ready.Release();
            return job;
        }

        /// <summary>Ends the thread after the commit in hand, if any; the thread closes its connection.</summary>
        public void Dispose()
        {
            _abandoned = true;
            _ready.Release();
        }

        private void Run()
        {
            try
            {
                while (true)
                {
                    _ready.Wait();
                    if (Interlocked.Exchange(ref _job, null) is { } job)
                    {
                        Commit(job);
                    }

                    if (_abandoned)
                    {
                        return;
                    }
                }
            }
            finally
            {
                _writer?.Dispose();
                _ready.Dispose();
            }
        }

        private void Commit(Job job)
        {
            try
            {
                (_writer ??= _writers.Open()).Commit(job.Batch, job.Results);
            }
            catch (EventRefusedException e)
            {
                job.Fault = e;
            }
            catch (Exception e)
            {
                // A fault of the connection or the server: the next commit opens a fresh connection.
                job.Fault = e;
                _writer?.Dispose();
                _writer = null;
            }
            finally
            {
                job.Done.Set();
            }
        }
    }
}
