using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Common.Interfaces;

/// <summary>
/// The write side of the event log. Every engine keeps this contract, whatever the number of nodes writing:
/// <list type="bullet">
/// <item>Sequence order is commit order: once a reader has seen sequence N, no event with a sequence below N
/// commits later. Watch and keyset paging resume "after N" and rely on it. (SQLite has one writer at a time;
/// PostgreSQL takes one transaction-scoped advisory lock per commit.)</item>
/// <item>A delivery the log already holds (same <see cref="WebhookEvent.DeliveryKey"/>), whichever node stored
/// it, is not stored again: it comes back as a duplicate with the first copy's sequence.</item>
/// <item>An event's account change commits in the same transaction as the event, and never overwrites state
/// from a newer event.</item>
/// <item>A storage fault surfaces as <see cref="Exceptions.StorageUnavailableException"/>, never as OK.</item>
/// </list>
/// </summary>
public interface IWebhookEventStore
{
    /// <summary>
    /// Appends <paramref name="webhookEvent"/> and applies <paramref name="change"/> to the account it names,
    /// in one transaction, and returns only once that transaction is durable.
    /// </summary>
    Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, OfficialAccountChange? change, CancellationToken cancellationToken);
}
