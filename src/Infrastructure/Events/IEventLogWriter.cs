using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// One engine's connection for committing group commits, opened by <see cref="IEventLogWriterFactory"/> and used
/// by one thread. Its <see cref="IBatchCommitter.Commit"/> is one database transaction. Each engine keeps the contract of <see cref="IWebhookEventStore"/>: sequence order is commit
/// order, and a delivery already stored comes back with its first sequence.
/// </summary>
internal interface IEventLogWriter : IBatchCommitter
{
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
