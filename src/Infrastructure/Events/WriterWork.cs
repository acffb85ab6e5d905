namespace CleanChat.Infrastructure.Events;

/// <summary>Work queued to run on the writer's thread between two group commits (<see cref="GroupCommitScheduler.RunBetweenCommits{T}"/>).</summary>
internal abstract class WriterWork
{
    /// <summary>Runs the work on the writer's thread; its outcome goes to the caller waiting for it, never to the writer.</summary>
    public abstract void Run();
}

internal sealed class WriterWork<T>(Func<T> work) : WriterWork
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Run()
    {
        try
        {
            _done.SetResult(work());
        }
        catch (Exception e)
        {
            _done.SetException(e);
        }
    }

    /// <summary>Blocks the caller (a background job's thread, never a request's) until the writer ran the work.</summary>
    public T Result() => _done.Task.GetAwaiter().GetResult();
}
