using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.GrpcApi.Tests;

/// <summary>
/// The watch streams one in-process host has closed, from its own <c>cleanchat.watch.streams</c> measurements (−1 when a
/// stream's handler ends, after it has let go of its feed subscription), so a test waits for that instead of polling.
/// Other hosts in the test process have meters of the same name; only this host's meter factory's count.
/// </summary>
public sealed class ClosedWatchStreams : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _closed;

    /// <summary>Starts counting now, for the host whose services are <paramref name="host"/>.</summary>
    public ClosedWatchStreams(IServiceProvider host)
    {
        var scope = host.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == "cleanchat.watch.streams")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, change, _, _) =>
        {
            if (change < 0)
            {
                Closed();
            }
        });
        _listener.Start();
    }

    /// <summary>Completes once <paramref name="count"/> streams have closed since counting began.</summary>
    public Task WhenClosedAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_closed >= count)
            {
                signal.SetResult();
            }
            else
            {
                _waiters.Add((count, signal));
            }
        }

        return signal.Task;
    }

    public void Dispose() => _listener.Dispose();

    private void Closed()
    {
        lock (_gate)
        {
            _closed++;
            foreach (var (count, signal) in _waiters)
            {
                if (_closed >= count)
                {
                    signal.TrySetResult();
                }
            }

            _waiters.RemoveAll(w => w.Signal.Task.IsCompleted);
        }
    }
}
