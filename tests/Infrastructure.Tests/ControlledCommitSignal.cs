using CleanChat.Infrastructure.Events;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// The engine's own commit signal, with the test's hand on it. The feed calls <see cref="WaitAsync"/> each time it has
/// published what it read, so that call is the signal a test waits on (<see cref="WhenAsync"/>) instead of polling the
/// feed; and while <see cref="HoldAsync"/> is in force, the feed reads nothing however much is committed: it lags.
/// </summary>
public sealed class ControlledCommitSignal(ICommitSignal engine) : ICommitSignal
{
    private readonly Lock _gate = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Signal)> _waiters = [];
    private TaskCompletionSource _open = Opened();

    /// <summary>Whether the feed is inside <see cref="WaitAsync"/> and has not yet been let out to read.</summary>
    private bool _feedWaiting;

    /// <summary>Replaces the engine's <see cref="ICommitSignal"/> with one of these around it, resolvable as itself.</summary>
    public static void Install(IServiceCollection services)
    {
        var engine = services.Last(d => d.ServiceType == typeof(ICommitSignal));
        var type = engine.ImplementationType ?? throw new InvalidOperationException("The engine's commit signal is not registered by its type.");
        services.Remove(engine);
        services.AddSingleton(sp => new ControlledCommitSignal((ICommitSignal)ActivatorUtilities.CreateInstance(sp, type)));
        services.AddSingleton<ICommitSignal>(sp => sp.GetRequiredService<ControlledCommitSignal>());
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _feedWaiting = true;
            Notify();
        }

        try
        {
            await engine.WaitAsync(cancellationToken);
            while (true)
            {
                Task open;
                lock (_gate)
                {
                    // Decided under the lock, so that once HoldAsync has seen the feed waiting it cannot slip out.
                    if (_open.Task.IsCompleted)
                    {
                        return;
                    }

                    open = _open.Task;
                }

                await open.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            lock (_gate)
            {
                _feedWaiting = false;
            }
        }
    }

    /// <summary>
    /// Completes once <paramref name="condition"/> holds, looked at now and each time the feed has finished a read,
    /// e.g. once the feed has published a sequence.
    /// </summary>
    public Task WhenAsync(Func<bool> condition)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition())
            {
                signal.SetResult();
            }
            else
            {
                _waiters.Add((condition, signal));
            }
        }

        return signal.Task;
    }

    /// <summary>
    /// Keeps the feed from reading until <see cref="Release"/>: completes once it waits here, having finished any read
    /// it was in, so that nothing committed from then on is read by it.
    /// </summary>
    public Task HoldAsync()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return WhenAsync(() => _feedWaiting);
    }

    /// <summary>Lets the feed read again.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    public void Dispose()
    {
        Release();
        engine.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private void Notify()
    {
        foreach (var (condition, signal) in _waiters)
        {
            if (condition())
            {
                signal.TrySetResult();
            }
        }

        _waiters.RemoveAll(w => w.Signal.Task.IsCompleted);
    }
}
