using CleanChat.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// One watcher, as an internal service runs it: reads a <c>WatchWebhookEvents</c> stream in the background, as fast as
/// events come, and keeps every event it received. Given a node to resume on, it treats a broken stream as a client
/// does: it opens a new one there with the last sequence it received, and tries again until that node answers.
/// Without one, a broken stream ends the recording, and every wait on it fails with the reason.
/// </summary>
public sealed class WatchRecorder : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly List<WebhookEvent> _events = [];
    private readonly List<long> _streamsAfter = [];
    private readonly List<(Func<Progress, bool> Condition, TaskCompletionSource Signal)> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly WatchWebhookEventsRequest _request;
    private Task _reading = Task.CompletedTask;
    private int _breaks;
    private Exception? _ended;

    private WatchRecorder(WatchWebhookEventsRequest request) => _request = request;

    /// <summary>Where a recording stands: events received, the last sequence, streams broken, streams that delivered.</summary>
    public readonly record struct Progress(int Received, long LastSequence, int Breaks, int Streams);

    /// <summary>Every event received, in the order received.</summary>
    public IReadOnlyList<WebhookEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The <c>after_sequence</c> of each stream that delivered at least one event, in order.</summary>
    public IReadOnlyList<long> StreamsAfter
    {
        get
        {
            lock (_gate)
            {
                return [.. _streamsAfter];
            }
        }
    }

    /// <summary>Opens the watch on <paramref name="channel"/>; after a break, resumes on <paramref name="resumeOn"/> if given.</summary>
    public static WatchRecorder Start(GrpcChannel channel, WatchWebhookEventsRequest request, GrpcChannel? resumeOn = null)
    {
        var recorder = new WatchRecorder(request);
        recorder._reading = Task.Run(() => recorder.ReadAsync(channel, resumeOn));
        return recorder;
    }

    /// <summary>Completes once <paramref name="condition"/> holds; faults if the recording ends first.</summary>
    public Task WhenAsync(Func<Progress, bool> condition)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_ended is not null)
            {
                signal.SetException(Ended());
            }
            else if (condition(ProgressNow()))
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

    /// <summary>Completes once the watch has sent <paramref name="sequence"/> or a later one.</summary>
    public Task ReceivedThroughAsync(long sequence) => WhenAsync(p => p.LastSequence >= sequence);

    /// <summary>What was received, for a failure message: the count, and the sequences where it did not go up by one.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var jumps = _events.Zip(_events.Skip(1)).Where(p => p.Second.Sequence != p.First.Sequence + 1)
                .Select(p => $"{p.First.Sequence}→{p.Second.Sequence}").Take(20);
            return $"{_events.Count} events, last {(_events.Count == 0 ? 0 : _events[^1].Sequence)}, {_breaks} breaks, " +
                $"streams after [{string.Join(", ", _streamsAfter)}], jumps [{string.Join(", ", jumps)}]" +
                (_ended is null ? "" : $", ended: {_ended.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync(GrpcChannel channel, GrpcChannel? resumeOn)
    {
        var client = new WebhookEventService.WebhookEventServiceClient(channel);
        var after = _request.AfterSequence;
        while (!_stop.IsCancellationRequested)
        {
            var request = _request.Clone();
            request.AfterSequence = after;
            try
            {
                using var call = client.WatchWebhookEvents(request, cancellationToken: _stop.Token);
                var first = true;
                while (await call.ResponseStream.MoveNext(_stop.Token))
                {
                    after = call.ResponseStream.Current.Sequence;
                    Record(call.ResponseStream.Current, first ? request.AfterSequence : null);
                    first = false;
                }

                End(new InvalidOperationException("The server ended the watch without an error."));
                return;
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException) when (resumeOn is not null)
            {
                Break();
                client = new WebhookEventService.WebhookEventServiceClient(resumeOn);
                try
                {
                    await Task.Delay(RetryPause, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception e)
            {
                End(e);
                return;
            }
        }
    }

    private void Record(WebhookEvent e, long? streamAfter)
    {
        lock (_gate)
        {
            _events.Add(e);
            if (streamAfter is { } opened)
            {
                _streamsAfter.Add(opened);
            }

            Notify();
        }
    }

    private void Break()
    {
        lock (_gate)
        {
            _breaks++;
            Notify();
        }
    }

    private void End(Exception reason)
    {
        lock (_gate)
        {
            _ended = reason;
            foreach (var (_, signal) in _waiters)
            {
                signal.TrySetException(Ended());
            }

            _waiters.Clear();
        }
    }

    private InvalidOperationException Ended() => new($"The watch ended: {_ended!.Message}", _ended);

    private Progress ProgressNow() =>
        new(_events.Count, _events.Count == 0 ? 0 : _events[^1].Sequence, _breaks, _streamsAfter.Count);

    private void Notify()
    {
        var progress = ProgressNow();
        foreach (var (condition, signal) in _waiters)
        {
            if (condition(progress))
            {
                signal.TrySetResult();
            }
        }

        _waiters.RemoveAll(w => w.Signal.Task.IsCompleted);
    }
}
