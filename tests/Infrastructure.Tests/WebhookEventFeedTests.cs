using CleanChat.TestSupport;
using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Events;

namespace CleanChat.Infrastructure.Tests;

public abstract class WebhookEventFeedTests(string engine) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private StoreFixture _store = null!;
    private WebhookEventFeed _feed = null!;
    private ControlledCommitSignal _signal = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.StartAsync(
            engine, ControlledCommitSignal.Install, ("Watch:PollIntervalMilliseconds", "5"), ("Watch:SubscriberBufferSize", "3"));
        _feed = _store.Feed;
        _signal = _store.Resolve<ControlledCommitSignal>();
        await _feed.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _feed.StopAsync(CancellationToken.None);
        await _store.DisposeAsync();
    }

    [SkippableFact]
    public async Task Delivers_what_another_connection_commits_after_subscribing_and_nothing_published_before()
    {
        var old = await _store.Store.AppendAsync(Events.Destroyed("@TOA#_old", 1), null, CancellationToken.None);
        await PublishedThroughAsync(old.Sequence);
        using var subscription = await _feed.SubscribeAsync(WebhookEventFilter.All, CancellationToken.None);

        var appended = await _store.Store.AppendAsync(Events.Destroyed("@TOA#_new", 2), null, CancellationToken.None);
        var received = await FirstAsync(subscription);

        Assert.Equal(appended.Sequence, received.Sequence);
        Assert.Equal("@TOA#_new", received.OfficialAccount);
    }

    [SkippableFact]
    public async Task A_new_subscriber_gets_only_what_is_committed_after_it_joins_even_while_the_feed_lags()
    {
        // More events than the buffer holds, committed while the feed reads nothing: it lags behind all of them.
        await _signal.HoldAsync().WaitAsync(Patience);
        for (var i = 1; i <= 5; i++)
        {
            await _store.Store.AppendAsync(Events.Destroyed($"@TOA#_before{i}", i), null, CancellationToken.None);
        }

        using var subscription = await _feed.SubscribeAsync(WebhookEventFilter.All, CancellationToken.None);
        _signal.Release();
        var appended = await _store.Store.AppendAsync(Events.Destroyed("@TOA#_after", 6), null, CancellationToken.None);
        var received = await FirstAsync(subscription);

        Assert.Equal(appended.Sequence, received.Sequence);
        Assert.False(subscription.HasFallenBehind);
    }

    [SkippableFact]
    public async Task Delivers_only_events_matching_the_filter()
    {
        using var subscription = await _feed.SubscribeAsync(new WebhookEventFilter(OfficialAccount: "@TOA#_wanted"), CancellationToken.None);

        await _store.Store.AppendAsync(Events.Destroyed("@TOA#_other", 1), null, CancellationToken.None);
        await _store.Store.AppendAsync(Events.Destroyed("@TOA#_wanted", 2), null, CancellationToken.None);
        var received = await FirstAsync(subscription);

        Assert.Equal("@TOA#_wanted", received.OfficialAccount);
    }

    [SkippableFact]
    public async Task One_reader_fans_each_event_out_to_every_subscriber()
    {
        var subscriptions = new List<IWebhookEventSubscription>();
        for (var i = 0; i < 200; i++)
        {
            subscriptions.Add(await _feed.SubscribeAsync(WebhookEventFilter.All, CancellationToken.None));
        }

        var appended = await _store.Store.AppendAsync(Events.Destroyed("@TOA#_a", 1), null, CancellationToken.None);
        var received = await Task.WhenAll(subscriptions.Select(FirstAsync));

        Assert.Equal(200, _feed.SubscriberCount);
        Assert.All(received, e => Assert.Equal(appended.Sequence, e.Sequence));
        subscriptions.ForEach(s => s.Dispose());
        Assert.Equal(0, _feed.SubscriberCount);
    }

    [SkippableFact]
    public async Task Ends_a_subscriber_that_falls_further_behind_than_its_buffer_after_what_was_buffered()
    {
        using var slow = await _feed.SubscribeAsync(WebhookEventFilter.All, CancellationToken.None);

        var appended = new List<long>();
        for (var i = 1; i <= 5; i++)
        {
            appended.Add((await _store.Store.AppendAsync(Events.Destroyed($"@TOA#_{i}", i), null, CancellationToken.None)).Sequence);
        }

        // Read nothing until the feed has handed over all five: the buffer holds three.
        await PublishedThroughAsync(appended[^1]);
        var received = new List<long>();
        using var timeout = new CancellationTokenSource(Patience);
        var error = await Assert.ThrowsAsync<WatchFellBehindException>(async () =>
        {
            await foreach (var batch in slow.ReadBatchesAsync(timeout.Token))
            {
                received.AddRange(batch.Select(e => e.Sequence));
            }
        });

        Assert.Equal(appended[..3], received);
        Assert.True(slow.HasFallenBehind);
        Assert.Contains("after_sequence", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _feed.SubscriberCount);
    }

    /// <summary>Waits until the feed has handed <paramref name="sequence"/> to its subscribers.</summary>
    private Task PublishedThroughAsync(long sequence) =>
        _signal.WhenAsync(() => _feed.PublishedSequence >= sequence).WaitAsync(Patience);

    private static async Task<WebhookEvent> FirstAsync(IWebhookEventSubscription subscription)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (var batch in subscription.ReadBatchesAsync(timeout.Token))
        {
            return batch[0];
        }

        throw new InvalidOperationException("The subscription ended without an event.");
    }
}

public sealed class SqliteWebhookEventFeedTests() : WebhookEventFeedTests(TestDatabases.Sqlite);

public sealed class PostgresWebhookEventFeedTests() : WebhookEventFeedTests(TestDatabases.Postgres);
