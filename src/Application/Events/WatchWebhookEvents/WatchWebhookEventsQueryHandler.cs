using System.Runtime.CompilerServices;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.WatchWebhookEvents;

/// <summary>
/// Backlog from the log, then live from the feed, with no gap and no repeat: it subscribes before reading
/// the last backlog page, so anything committed after that page is already buffered, and it skips what the
/// feed delivers at or below the last sequence sent.
/// </summary>
public sealed class WatchWebhookEventsQueryHandler(IWebhookEventReader reader, IWebhookEventFeed feed, CleanChatMetrics metrics)
    : IRequestHandler<WatchWebhookEventsQuery, IAsyncEnumerable<IReadOnlyList<WebhookEvent>>>
{
    internal const int BacklogPageSize = 500;

    public Task<IAsyncEnumerable<IReadOnlyList<WebhookEvent>>> Handle(WatchWebhookEventsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(FollowAsync(request.Filter, request.AfterSequence, cancellationToken));

    private async IAsyncEnumerable<IReadOnlyList<WebhookEvent>> FollowAsync(
        WebhookEventFilter filter, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        metrics.WatchStreamOpened();
        try
        {
            await foreach (var batch in BacklogThenLiveAsync(filter, afterSequence, cancellationToken))
            {
                foreach (var e in batch)
                {
                    metrics.WatchLag(feed.PublishedSequence - e.Sequence);
                }

                yield return batch;
            }
        }
        finally
        {
            metrics.WatchStreamClosed();
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<WebhookEvent>> BacklogThenLiveAsync(
        WebhookEventFilter filter, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSequence;
        await CheckNotRemovedAsync(last, cancellationToken);
        while (true)
        {
            using var subscription = await feed.SubscribeAsync(filter, cancellationToken);

            // Each read is bounded (a filter without an index reads the log a window at a time), so a read may find
            // nothing yet not be the last: go on from where it stopped until one reaches the end of the log.
            WebhookEventSlice page;
            do
            {
                page = await reader.ListAfterAsync(filter, last, BacklogPageSize, cancellationToken);
                // Read after the page: had retention moved the floor past the cursor before the page was read, the
                // page may lack removed events, and the stream must not carry on as if it were whole.
                await CheckNotRemovedAsync(last, cancellationToken);
                if (page.Events.Count > 0)
                {
                    yield return page.Events;
                }

                last = page.ReadThrough;
            }
            while (!page.ReachedEnd);

            if (subscription.HasFallenBehind)
            {
                // The backlog outran the live buffer: the log itself holds what was dropped, so read on from it.
                continue;
            }

            await foreach (var batch in subscription.ReadBatchesAsync(cancellationToken))
            {
                // A batch is in sequence order; only the first ones after subscribing can repeat the backlog.
                var fresh = batch[0].Sequence > last ? batch : batch.Where(e => e.Sequence > last).ToList();
                if (fresh.Count > 0)
                {
                    yield return fresh;
                    last = fresh[^1].Sequence;
                }
            }

            yield break; // the feed ended the subscription: the host is stopping
        }
    }

    /// <summary>A stream may go on after <paramref name="last"/> only while the floor is at most one above it.</summary>
    private async Task CheckNotRemovedAsync(long last, CancellationToken cancellationToken)
    {
        var floor = await reader.GetFloorAsync(cancellationToken);
        if (last < floor - 1)
        {
            throw new RemovedByRetentionException(last, floor);
        }
    }
}
