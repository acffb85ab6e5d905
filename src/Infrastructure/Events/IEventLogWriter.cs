using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// One engine's connection for committing group commits, opened by <see cref="IEventLogWriterFactory"/> and used
/// by one thread. Each engine keeps the contract of <see cref="IWebhookEventStore"/>: sequence order is commit
/// order, and a delivery already stored comes back with its first sequence.
/// </summary>
internal interface IEventLogWriter : IDisposable
{
    /// <summary>
    /// Commits every append of <paramref name="batch"/> in one transaction, durable when this returns, and
    /// fills <paramref name="results"/> in the same order. Throws <see cref="EventRefusedException"/> when the
    /// database refuses one event for what it holds (nothing is committed then); any other exception is a fault
    /// of the connection or the database, after which the writer is disposed and a new one opened.
    /// </summary>
    void Commit(IReadOnlyList<PendingAppend> batch, AppendResult[] results);

    /// <summary>
    /// Applies the state changes of events already in the log (<see cref="StateReplay"/>), in one transaction. Every
    /// change is idempotent, so one applied before is applied again harmlessly.
    /// </summary>
    void Replay(IReadOnlyList<(WebhookEvent Stored, StateChange Change)> changes);
}

internal interface IEventLogWriterFactory
{
    IEventLogWriter Open();
}
