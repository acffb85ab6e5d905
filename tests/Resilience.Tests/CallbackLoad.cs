namespace CleanChat.Resilience.Tests;

/// <summary>
/// A steady stream of distinct signed callbacks from several senders, each sending again as soon as it is answered,
/// recording every answer with the node it went to and the phase of the fault it was sent and answered in. Sender
/// <c>i</c> sends to node <c>i % nodes</c>, so every node gets the same share.
/// </summary>
/// <param name="callback">The callback to send as the load's <c>n</c>-th, from 1; each must be a distinct delivery.</param>
public sealed class CallbackLoad(IReadOnlyList<WebhookClient> nodes, Func<int, TencentCallback> callback)
{
    private readonly Lock _gate = new();
    private readonly List<Delivery> _deliveries = [];
    private readonly List<Waiter> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private long _clock;
    private int _next;
    private volatile Phase _phase;

    /// <summary>Destroyed callbacks, each for its own account <c>prefix + n</c>, at the sample's event time.</summary>
    public CallbackLoad(WebhookClient node, string prefix)
        : this([node], n => TencentCallback.Destroyed(prefix + n, CleanChat.TestSupport.TencentSample.EventTime))
    {
    }

    public enum Phase
    {
        Up,
        Stopping,
        Down,
        Starting,
        Back,
    }

    public Phase Current
    {
        get => _phase;
        set => _phase = value;
    }

    public IReadOnlyList<Delivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    public Task RunAsync(int senders) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(i => Task.Run(() => SendAsync(i % nodes.Count))));

    public void Stop() => _stop.Cancel();

    /// <summary>Completes once <paramref name="count"/> deliveries recorded so far or later match.</summary>
    public Task WhenAsync(int count, Func<Delivery, bool> matches)
    {
        var waiter = new Waiter(count, matches);
        lock (_gate)
        {
            foreach (var delivery in _deliveries)
            {
                waiter.Observe(delivery);
            }

            if (!waiter.Signal.Task.IsCompleted)
            {
                _waiters.Add(waiter);
            }
        }

        return waiter.Signal.Task;
    }

    private async Task SendAsync(int node)
    {
        while (!_stop.IsCancellationRequested)
        {
            var sent = callback(Interlocked.Increment(ref _next));
            var sentIn = _phase;
            var sentAt = Interlocked.Increment(ref _clock);
            WebhookClient.Answer? answer = null;
            Exception? error = null;
            try
            {
                answer = await nodes[node].PostAsync(sent);
            }
            catch (Exception e)
            {
                error = e;
            }

            Record(new Delivery(node, sent, sentIn, sentAt, _phase, Interlocked.Increment(ref _clock), answer, error));
        }
    }

    private void Record(Delivery delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
            foreach (var waiter in _waiters)
            {
                waiter.Observe(delivery);
            }

            _waiters.RemoveAll(w => w.Signal.Task.IsCompleted);
        }
    }

    /// <param name="SentAt">When it was sent, on the load's own clock, which every send and answer advances.</param>
    public sealed record Delivery(
        int Node, TencentCallback Callback, Phase SentIn, long SentAt, Phase AnsweredIn, long AnsweredAt, WebhookClient.Answer? Answer, Exception? Error)
    {
        public string Account => Callback.Account;

        public override string ToString() => $"{Callback} to node {Node}, sent {SentIn}, answered {AnsweredIn}: {Answer?.ToString() ?? Error?.Message}";
    }

    private sealed class Waiter(int count, Func<Delivery, bool> matches)
    {
        private int _seen;

        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Observe(Delivery delivery)
        {
            if (matches(delivery) && ++_seen >= count)
            {
                Signal.TrySetResult();
            }
        }
    }
}
