using System.Threading.Channels;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// The one reader of new events in this process. On its own connection it polls <c>PRAGMA data_version</c>,
/// which changes only when another connection (the webhook host's writer, in any process) commits; then it
/// reads the rows above the last sequence it published, once, and hands each to the subscribers whose filter
/// matches, through a bounded buffer each. A subscriber whose buffer is full is dropped with
/// <see cref="WatchFellBehindException"/> rather than slowing the others or growing memory.
/// </summary>
public sealed partial class WebhookEventFeed(
    SqliteConnectionFactory connections,
    IOptions<WebhookEventFeedOptions> options,
    TimeProvider time,
    ILogger<WebhookEventFeed> logger) : BackgroundService, IWebhookEventFeed
{
    private const string SelectDataVersion = "PRAGMA data_version";
    private const string SelectHead = "SELECT COALESCE(MAX(sequence), 0) FROM webhook_events";
    // The same statement the watch backlog and ascending pages run, with no filter: every event above the cursor.
    private static readonly string SelectNew = WebhookEventReader.ListSql(new WebhookEventFilter(), ascending: true);

    private const int ReadPageSize = 1000;

    private readonly WebhookEventFeedOptions _options = options.Value;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Subscription[] _subscribers = [];
    private SqliteConnection? _connection;
    private long _dataVersion;
    private long _published;

    /// <summary>How many watchers are subscribed right now.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>The last sequence handed to subscribers.</summary>
    public long PublishedSequence => Interlocked.Read(ref _published);

    public async ValueTask<IWebhookEventSubscription> SubscribeAsync(WebhookEventFilter filter, CancellationToken cancellationToken)
    {
        // Until the feed knows where the log ends, a subscriber could not tell which events it will deliver.
        await _started.Task.WaitAsync(cancellationToken);
        var subscription = new Subscription(this, filter, _options.SubscriberBufferSize);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Start from the current end of the log: subscribers read anything older from the log itself.
        _connection = connections.Open();
        _dataVersion = _connection.ExecuteScalar<long>(SelectDataVersion);
        _published = _connection.ExecuteScalar<long>(SelectHead);
        _started.TrySetResult();
        return base.StartAsync(cancellationToken);
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
        _connection?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.PollIntervalMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Poll();
                }
                catch (SqliteException e)
                {
                    // Keep the subscribers and try again on the next tick, on a fresh connection.
                    LogPollFailed(e);
                    _connection?.Dispose();
                    _connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private void Poll()
    {
        var connection = _connection ??= connections.Open();
        var version = connection.ExecuteScalar<long>(SelectDataVersion);
        if (version == _dataVersion)
        {
            return;
        }

        _dataVersion = version;
        List<WebhookEvent> batch;
        do
        {
            batch = connection.Query<WebhookEventRow>(SelectNew, new { Cursor = _published, Limit = ReadPageSize })
                .Select(r => r.ToDomain())
                .ToList();
            if (batch.Count > 0)
            {
                Publish(batch);
                Interlocked.Exchange(ref _published, batch[^1].Sequence);
            }
        }
        while (batch.Count == ReadPageSize);
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
    private partial void LogPollFailed(Exception exception);

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

        // Once ended with a reason, the channel throws that reason after the buffered events.
        public IAsyncEnumerable<WebhookEvent> ReadAllAsync(CancellationToken cancellationToken) =>
            _buffer.Reader.ReadAllAsync(cancellationToken);

        public void Dispose()
        {
            feed.Remove(this);
            _buffer.Writer.TryComplete();
        }
    }
}
