using CleanChat.TestSupport;
using CleanChat.Contracts.V1;
using CleanChat.Infrastructure.Events;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.GrpcApi.Tests;

/// <summary>
/// The webhook host and the gRPC host each open their own connections to one SQLite file, as two
/// processes would: what one commits, the other streams.
/// </summary>
public abstract class WatchWebhookEventsTests(string engine) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly HostsFixture _hosts = new(new Dictionary<string, string?> { ["Watch:SubscriberBufferSize"] = "4" }, engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    private WebhookEventFeed Feed => _hosts.Grpc.Services.GetRequiredService<WebhookEventFeed>();

    [SkippableFact]
    public async Task Streams_the_backlog_in_sequence_order_then_events_as_they_are_committed()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        using var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest());
        var backlog = await ReadAsync(call, 3);
        await _hosts.PostDestroyedAsync("@TOA#_4", 4);
        await _hosts.PostDestroyedAsync("@TOA#_5", 5);
        var live = await ReadAsync(call, 2);

        Assert.Equal([1L, 2, 3], backlog.Select(e => e.Sequence));
        Assert.Equal([4L, 5], live.Select(e => e.Sequence));
        Assert.Equal("@TOA#_5", live[^1].OfficialAccount);
    }

    [SkippableFact]
    public async Task Resumes_after_the_last_sequence_seen_with_nothing_lost_or_repeated()
    {
        for (var i = 1; i <= 4; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        long last;
        using (var first = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest()))
        {
            last = (await ReadAsync(first, 2))[^1].Sequence;
        }

        await _hosts.PostDestroyedAsync("@TOA#_5", 5);
        using var resumed = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = last });
        var backlog = await ReadAsync(resumed, 3);
        await _hosts.PostDestroyedAsync("@TOA#_6", 6);
        var live = await ReadAsync(resumed, 1);

        Assert.Equal(2, last);
        Assert.Equal([3L, 4, 5, 6], backlog.Concat(live).Select(e => e.Sequence));
    }

    [SkippableFact]
    public async Task Streams_only_the_events_matching_its_filters_in_backlog_and_live()
    {
        await _hosts.PostDestroyedAsync("@TOA#_wanted", 1);
        await _hosts.PostDestroyedAsync("@TOA#_other", 2);

        using var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest
        {
            SdkAppId = TestSupport.TencentSample.SdkAppId,
            OfficialAccount = "@TOA#_wanted",
            OptPlatform = "RESTAPI",
        });
        var backlog = await ReadAsync(call, 1);
        await _hosts.PostDestroyedAsync("@TOA#_other", 3);
        await _hosts.PostDestroyedAsync("@TOA#_wanted", 4);
        var live = await ReadAsync(call, 1);

        Assert.Equal([1L, 4], backlog.Concat(live).Select(e => e.Sequence));
    }

    [SkippableFact]
    public async Task Many_watchers_share_the_one_feed()
    {
        var calls = Enumerable.Range(0, 50).Select(_ => _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest())).ToList();
        await _hosts.PostDestroyedAsync("@TOA#_a", 1);

        var received = await Task.WhenAll(calls.Select(c => ReadAsync(c, 1)));

        Assert.All(received, events => Assert.Equal(1, Assert.Single(events).Sequence));
        Assert.Equal(50, Feed.SubscriberCount);
        calls.ForEach(c => c.Dispose());
    }

    [SkippableFact]
    public async Task Cancelling_a_watch_ends_its_subscription()
    {
        await _hosts.PostDestroyedAsync("@TOA#_a", 1);
        using var closed = new ClosedWatchStreams(_hosts.Grpc.Services);
        using var cancel = new CancellationTokenSource();
        var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest(), cancellationToken: cancel.Token);
        await ReadAsync(call, 1);
        var subscribed = Feed.SubscriberCount;

        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        await closed.WhenClosedAsync(1).WaitAsync(Patience);

        Assert.Equal(1, subscribed);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(Feed.SubscriberCount == 0, "the server ended the stream but kept its subscription");
        call.Dispose();
    }

    [SkippableFact]
    public async Task A_watch_whose_deadline_passes_ends_at_the_deadline_and_unsubscribes()
    {
        await _hosts.PostDestroyedAsync("@TOA#_a", 1);
        using var closed = new ClosedWatchStreams(_hosts.Grpc.Services);
        // Long enough for the backlog to arrive first on a busy machine: the deadline must find the watch live.
        var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
        var backlog = await ReadAsync(call, 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        await closed.WhenClosedAsync(1).WaitAsync(Patience);

        Assert.Single(backlog);
        // Client and server each track the deadline. The client reports DeadlineExceeded when its own timer fires
        // first; when the in-memory test server's abort of the request reaches it first, the client reports that
        // abort as Unavailable. Either way the call ended at its deadline, and not with a storage fault.
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable, error.ToString());
        Assert.DoesNotContain("event store", error.Status.Detail, StringComparison.Ordinal);
        Assert.True(Feed.SubscriberCount == 0, "the server ended the stream but kept its subscription");
        call.Dispose();
    }

    [SkippableFact]
    public async Task Ends_a_watcher_that_stops_reading_with_resource_exhausted_and_it_can_resume()
    {
        await _hosts.PostDestroyedAsync("@TOA#_0", 1);
        using var slow = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest());
        await ReadAsync(slow, 1);

        // Large events fill the transport's buffers, the server's writes stall, the 4-event buffer overflows.
        var bigName = new string('n', 1000);
        await Task.WhenAll(Enumerable.Range(2, 200).Select(i => _hosts.PostDestroyedAsync($"@TOA#_{i}", i, name: bigName)));
        var received = new List<long> { 1 };
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (await slow.ResponseStream.MoveNext(timeout.Token))
            {
                received.Add(slow.ResponseStream.Current.Sequence);
            }
        });
        using var resumed = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = received[^1] });
        var rest = await ReadAsync(resumed, 201 - received.Count);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("after_sequence", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 201).Select(i => (long)i), received.Concat(rest.Select(e => e.Sequence)));
    }

    [SkippableFact]
    public async Task Refuses_a_negative_after_sequence_and_an_unknown_platform()
    {
        using var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = -1, OptPlatform = "Amiga" });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("after_sequence", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("opt_platform", error.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<List<WebhookEvent>> ReadAsync(AsyncServerStreamingCall<WebhookEvent> call, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var events = new List<WebhookEvent>();
        while (events.Count < count && await call.ResponseStream.MoveNext(timeout.Token))
        {
            events.Add(call.ResponseStream.Current);
        }

        return events;
    }
}

public sealed class SqliteWatchWebhookEventsTests() : WatchWebhookEventsTests(TestDatabases.Sqlite);

public sealed class PostgresWatchWebhookEventsTests() : WatchWebhookEventsTests(TestDatabases.Postgres);
