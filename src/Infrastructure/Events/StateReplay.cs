using CleanChat.Application.Callbacks;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// Folds into the state the events stored before their command was typed. Nine official-account commands were logged
/// untyped until migration SQLite 0004 / PostgreSQL 0002; six of them change state, and the migration leaves a row in
/// <c>state_replay</c> naming the last of those. At the webhook host's next start, after the migration and before it takes webhooks, this reads those events
/// in sequence order, asks each one's callback (<see cref="StoredCallbacks"/>) for its state change, has the engine's
/// writer apply them a batch per transaction, and deletes the row. Every change is idempotent and decided by event
/// times, so a replay cut short and run again, or run by two nodes at once, leaves the same state.
/// </summary>
internal sealed partial class StateReplay(
    ISqlConnectionFactory connections, IEventLogWriterFactory writers, StoredCallbacks callbacks, DatabaseStartup startup, ILogger<StateReplay> logger)
    : IHostedLifecycleService
{
    private const int BatchSize = 200;

    private const string SelectThrough = "SELECT MAX(through_sequence) FROM state_replay";
    private const string DeleteMarker = "DELETE FROM state_replay";

    private const string SelectStored = $"""
        SELECT {WebhookEventReader.Columns} FROM webhook_events
        WHERE sequence > @After AND sequence <= @Through
          AND callback_command IN (
            '{CallbackCommands.AfterOfficialAccountInfoChanged}', '{CallbackCommands.AfterAddSubscriber}',
            '{CallbackCommands.AfterOfficialAccountFull}', '{CallbackCommands.AfterDeleteSubscriber}',
            '{CallbackCommands.AfterSendMsg}', '{CallbackCommands.AfterMsgWithDraw}')
        ORDER BY sequence LIMIT @Limit
        """;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // A node started without its database runs this from the spool's drainer once the database answers.
        if (!startup.IsPending)
        {
            Run(cancellationToken);
        }

        return Task.CompletedTask;
    }

    /// <summary>Folds in what the marker names, if there is one, and deletes the marker.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        using var connection = connections.OpenConnection();
        if (connection.ExecuteScalar<long?>(SelectThrough) is not { } through)
        {
            return;
        }

        LogStarting(through);
        var (read, applied) = (0, 0);
        using (var writer = writers.Open())
        {
            var after = 0L;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stored = connection.Query<WebhookEventRow>(SelectStored, new { After = after, Through = through, Limit = BatchSize })
                    .Select(r => r.ToDomain())
                    .ToList();
                if (stored.Count == 0)
                {
                    break;
                }

                var changes = new List<(WebhookEvent, StateChange)>(stored.Count);
                foreach (var e in stored)
                {
                    if (callbacks.ChangeOf(e) is { } change)
                    {
                        changes.Add((e, change));
                    }
                }

                if (changes.Count > 0)
                {
                    writer.Replay(changes);
                }

                (read, applied, after) = (read + stored.Count, applied + changes.Count, stored[^1].Sequence);
            }
        }

        connection.Execute(DeleteMarker);
        LogFinished(read, applied);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Folding official-account events stored before they were typed into the state, up to sequence {Through}")]
    private partial void LogStarting(long through);

    [LoggerMessage(Level = LogLevel.Information, Message = "Folded {Applied} of {Read} stored official-account events into the state")]
    private partial void LogFinished(int read, int applied);
}
