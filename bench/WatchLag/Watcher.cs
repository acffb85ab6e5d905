using System.Diagnostics;
using CleanChat.Contracts.V1;
using Grpc.Core;

namespace CleanChat.WatchLag;

/// <summary>One follower: notes each event's sequence and arrival time in arrays sized for the run, nothing more.</summary>
internal sealed class Watcher(int warmUpEvents, int totalEvents)
{
    private readonly long[] _sequences = new long[totalEvents];
    private readonly long[] _arrivals = new long[totalEvents];
    private readonly TaskCompletionSource _warmedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    /// <summary>Completes when the warm-up events have arrived: the stream is live.</summary>
    public Task WarmedUp => _warmedUp.Task;

    /// <summary>Completes when every event has arrived.</summary>
    public Task Finished => _finished.Task;

    public async Task RunAsync(CallInvoker invoker, CancellationToken stop)
    {
        try
        {
            using var call = invoker.AsyncServerStreamingCall(
                SequenceOnlyWatch.Method, null, new CallOptions(cancellationToken: stop), new WatchWebhookEventsRequest());
            while (await call.ResponseStream.MoveNext(stop))
            {
                var at = Stopwatch.GetTimestamp();
                if (_count == totalEvents)
                {
                    throw new InvalidOperationException($"More than the {totalEvents} events posted arrived.");
                }

                _sequences[_count] = call.ResponseStream.Current.Sequence;
                _arrivals[_count] = at;
                _count++;
                if (_count == warmUpEvents)
                {
                    _warmedUp.TrySetResult();
                }

                if (_count == totalEvents)
                {
                    _finished.TrySetResult();
                }
            }

            throw new InvalidOperationException("The watch ended before the run did.");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
        {
            // Stopped at the end of the run.
        }
        catch (Exception e)
        {
            _warmedUp.TrySetException(e);
            _finished.TrySetException(e);
        }
    }

    /// <summary>Every (sequence, arrival timestamp) received, in arrival order; read once the run is over.</summary>
    public IEnumerable<(long Sequence, long ArrivedAt)> Arrivals() =>
        Enumerable.Range(0, _count).Select(i => (_sequences[i], _arrivals[i]));
}
