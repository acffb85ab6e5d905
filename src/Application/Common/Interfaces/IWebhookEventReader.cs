using CleanChat.Domain.Events;

namespace CleanChat.Application.Common.Interfaces;

/// <summary>The read side of the event log.</summary>
public interface IWebhookEventReader
{
    Task<WebhookEvent?> GetAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>Newest first: events matching <paramref name="filter"/> with a sequence below <paramref name="beforeSequence"/>.</summary>
    Task<IReadOnlyList<WebhookEvent>> ListAsync(WebhookEventFilter filter, long beforeSequence, int limit, CancellationToken cancellationToken);
}
