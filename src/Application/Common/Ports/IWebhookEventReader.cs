using CleanChat.Domain.Events;

using CleanChat.Application.Common.Filters;
namespace CleanChat.Application.Common.Ports;

/// <summary>The read side of the event log. Storage faults surface as <see cref="Exceptions.StorageUnavailableException"/>.</summary>
public interface IWebhookEventReader
{
    /// <summary>The newest sequence in the log, 0 while it is empty; the floor's predecessor when retention removed every event.</summary>
    Task<long> GetLastSequenceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The retention floor: the first sequence the log still holds (1 until retention removes anything). Every event
    /// below it was removed; none at or above it ever is.
    /// </summary>
    Task<long> GetFloorAsync(CancellationToken cancellationToken);

    Task<WebhookEvent?> GetAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>
    /// Newest first: events matching <paramref name="filter"/> with a sequence below <paramref name="beforeSequence"/>,
    /// up to <paramref name="limit"/>. Reads a bounded number of rows whatever the filter, so it may return fewer
    /// (even none) before the end of the log: continue below <see cref="WebhookEventSlice.ReadThrough"/>.
    /// </summary>
    Task<WebhookEventSlice> ListAsync(WebhookEventFilter filter, long beforeSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// In sequence order: events matching <paramref name="filter"/> with a sequence above <paramref name="afterSequence"/>,
    /// up to <paramref name="limit"/>. Bounded like <see cref="ListAsync"/>: continue above
    /// <see cref="WebhookEventSlice.ReadThrough"/> until <see cref="WebhookEventSlice.ReachedEnd"/>. Sequence order is commit
    /// order, so a read that reached the end has seen every event committed before it began.
    /// </summary>
    Task<WebhookEventSlice> ListAfterAsync(WebhookEventFilter filter, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Counts of the events matching <paramref name="filter"/>, per (callback command, platform).</summary>
    Task<IReadOnlyList<WebhookEventGroupCount>> CountAsync(WebhookEventFilter filter, CancellationToken cancellationToken);
}
