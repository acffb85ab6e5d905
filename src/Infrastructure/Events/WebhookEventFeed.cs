using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Domain.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// The one reader of new events in this process, the same for every engine. When the engine's
/// <see cref="ICommitSignal"/> fires, it reads the rows above the last sequence it published, once, in sequence
/// order, and hands each to the subscribers whose filter matches, through a bounded buffer each. A subscriber
/// whose buffer is full is dropped with <see cref="WatchFellBehindException"/> rather than slowing the others or
/// growing memory. A database fault only pauses it: it reads on from the same sequence once the database is back.
/// </summary>
public sealed partial class WebhookEventFeed(
    ICommitSignal signal,
    IWebhookEventReader log,
    IOptions<WebhookEventFeedOptions> options,
    TimeProvider time,
    ILogger<WebhookEventFeed> logger) : BackgroundService, IWebhookEventFeed
{
    private const int ReadPageSize = 1000;

    private readonly WebhookEventFeedOptions _options = options.Value;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private Subscription[] _subscribers = [];
    private long _published;

    /// <summary>How many watchers are subscribed right now.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>The last sequence handed to subscribers.</summary>
    public long PublishedSequence => Interlocked.Read(ref _published);

    public async ValueTask<IWebhookEventSubscription> SubscribeAsync(WebhookEventFilter filter, CancellationToken cancellationToken)
    {
        // Until the feed knows where the log ends, a subscriber could not tell which events it will deliver.
        await _started.Task.WaitAsync(cancellationToken);
        // Hand out what is already committed before joining: a new subscriber reads those events from the log as its
        // backlog, and had the feed not read them yet they would also fill its buffer and could end it as behind.
        await ReadNewAsync(cancellationToken);
        var subscription = new Subscription(this, filter, _options.SubscriberBufferSize);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Start from the current end of the log: subscribers read anything older from the log itself.
        _published = await log.GetLastSequenceAsync(cancellationToken);
        _started.TrySetResult();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Subscription[] ended;
        lock (_gate)
        {
            ended = _subscribers;
            _subscribers = [];
        }

        var stopping = new StorageUnavailableException("The server is stopping; resume the watch elsewhere or later.", new OperationCanceledException());
        foreach (var subscription in ended)
        {
            subscription.End(stopping);
        }
    }

    public override void Dispose()
    {
        signal.Dispose();
        _reading.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await signal.WaitAsync(stoppingToken);
                    await ReadNewAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Keep the subscribers and read on from the same sequence once the database answers again.
                    LogReadFailed(e);
                    await Task.Delay(TimeSpan.FromMilliseconds(_options.PollIntervalMilliseconds * 10), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task ReadNewAsync(CancellationToken cancellationToken)
    {
        // The feed's loop and a subscriber joining both read new events; one at a time, so none is published twice.
        await _reading.WaitAsync(cancellationToken);
        try
        {
            await ReadNewOnceAsync(cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task ReadNewOnceAsync(CancellationToken cancellationToken)
    {
        // Unfiltered, so every row read is published: a read is never cut short by a window.
        WebhookEventSlice batch;
        do
        {
            batch = await log.ListAfterAsync(WebhookEventFilter.All, PublishedSequence, ReadPageSize, cancellationToken);
            if (batch.Events.Count > 0)
            {
                Publish(batch.Events);
                Interlocked.Exchange(ref _published, batch.Events[^1].Sequence);
            }
        }
        while (!batch.ReachedEnd);
    }

    private void Publish(IReadOnlyList<WebhookEvent> batch)
    {
        foreach (var subscription in Volatile.Read(ref _subscribers))
        {
            foreach (var e in batch)
            {
                if (subscription.Filter.Matches(e) && !subscription.TryWrite(e))
                {
                    Remove(subscription);
                    subscription.End(new WatchFellBehindException(_options.SubscriberBufferSize));
                    break;
                }
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != subscription).ToArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading new events for watchers failed; retrying")]
    private partial void LogReadFailed(Exception exception);

    private sealed class Subscription(WebhookEventFeed feed, WebhookEventFilter filter, int capacity) : IWebhookEventSubscription
    {
        private readonly Channel<WebhookEvent> _buffer = Channel.CreateBounded<WebhookEvent>(
            new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        private volatile bool _fellBehind;

        public WebhookEventFilter Filter { get; } = filter;

        public bool HasFallenBehind => _fellBehind;

        public bool TryWrite(WebhookEvent e) => _buffer.Writer.TryWrite(e);

        public void End(Exception reason)
        {
            _fellBehind = reason is WatchFellBehindException;
            _buffer.Writer.TryComplete(reason);
        }

        // Once ended with a reason, the channel throws that reason from WaitToReadAsync after the buffered events.
        public async IAsyncEnumerable<IReadOnlyList<WebhookEvent>> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var reader = _buffer.Reader;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<WebhookEvent>(reader.Count);
                while (batch.Count < capacity && reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                yield return batch;
            }
        }

        public void Dispose()
        {
            feed.Remove(this);
            _buffer.Writer.TryComplete();
        }
    }
}
