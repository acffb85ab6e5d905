using CleanChat.Application.Common.Filters;

namespace CleanChat.Application.Common.Ports;

/// <summary>
/// Events as they are committed, from one reader per process fanned out to every subscriber, so many
/// watchers cost one database poller.
/// </summary>
public interface IWebhookEventFeed
{
    /// <summary>The newest sequence the feed has read from the log.</summary>
    long PublishedSequence { get; }

    /// <summary>
    /// Starts buffering the events committed from now on that match <paramref name="filter"/>. It may also
    /// deliver a few events committed just before; callers skip what they have already seen.
    /// </summary>
    ValueTask<IWebhookEventSubscription> SubscribeAsync(WebhookEventFilter filter, CancellationToken cancellationToken);
}
