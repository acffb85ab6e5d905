using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Common.Interfaces;

/// <summary>The write side of the event log.</summary>
public interface IWebhookEventStore
{
    /// <summary>
    /// Appends <paramref name="webhookEvent"/> and applies <paramref name="change"/> to the account it names,
    /// in one transaction, and returns only once that transaction is durable. A delivery the log already
    /// holds (same <see cref="WebhookEvent.DeliveryKey"/>) is not stored again and comes back as a duplicate.
    /// </summary>
    Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, OfficialAccountChange? change, CancellationToken cancellationToken);
}
