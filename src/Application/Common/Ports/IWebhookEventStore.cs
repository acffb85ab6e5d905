using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Common.Ports;

/// <summary>
/// The write side of the event log. Every engine keeps this contract, whatever the number of nodes writing:
/// <list type="bullet">
/// <item>Sequence order is commit order: once a reader has seen sequence N, no event with a sequence below N
/// commits later. Watch and keyset paging resume "after N" and rely on it. (SQLite has one writer at a time;
/// PostgreSQL takes one transaction-scoped advisory lock per commit.)</item>
/// <item>A delivery the log already holds (same <see cref="WebhookEvent.DeliveryKey"/>), whichever node stored
/// it, is not stored again: it comes back as a duplicate with the first copy's sequence, and its state change is
/// not applied.</item>
/// <item>An event's state change commits in the same transaction as the event, following the rules on
/// <see cref="StateChange"/>: an older event never overwrites state from a newer one, so the state is the same
/// whatever order the events arrive in.</item>
/// <item>A storage fault surfaces as <see cref="Exceptions.StorageUnavailableException"/>, never as OK.</item>
/// </list>
/// </summary>
public interface IWebhookEventStore
{
    /// <summary>
    /// Appends <paramref name="webhookEvent"/> and applies <paramref name="change"/>, in one transaction, and
    /// returns only once that transaction is durable.
    /// </summary>
    Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, StateChange? change, CancellationToken cancellationToken);
}
