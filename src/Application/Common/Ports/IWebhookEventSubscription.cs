using CleanChat.Domain.Events;

namespace CleanChat.Application.Common.Ports;

/// <summary>One subscriber's bounded buffer of new events. Dispose to unsubscribe.</summary>
public interface IWebhookEventSubscription : IDisposable
{
    /// <summary>
    /// True once the buffer was full when an event arrived: that event and every later one were dropped for
    /// this subscriber.
    /// </summary>
    bool HasFallenBehind { get; }

    /// <summary>
    /// The buffered events in sequence order, in batches: each batch is every event buffered when it is taken (at
    /// least one; it waits for one when none is). After falling behind, yields what was buffered and then throws
    /// <see cref="Events.WatchWebhookEvents.WatchFellBehindException"/>.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<WebhookEvent>> ReadBatchesAsync(CancellationToken cancellationToken);
}
