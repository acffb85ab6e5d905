using CleanChat.Application.Common.Ports;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace CleanChat.Infrastructure.Spool;

/// <summary>
/// The group commit of a webhook node with a spool: a batch goes to PostgreSQL when the spool is empty and it commits
/// within the budget; otherwise (a fault that is not the event's own, or no answer in time) it goes to the spool, and
/// so does every batch after it until the drainer has emptied the spool, so this node's callbacks reach the log in the
/// order it received them. Either way each caller is answered only once its callback is durable.
/// </summary>
internal sealed partial class SpoolingCommitter(
    EventSpool spool, BoundedCommitter database, DatabaseStartup startup, SpoolDrainer drainer, TimeSpan budget,
    SpoolTelemetry telemetry, ILogger<SpoolingCommitter> logger) : IBatchCommitter
{
    public void Commit(IReadOnlyList<PendingAppend> batch, AppendResult[] results)
    {
        if (spool.Depth == 0 && !startup.IsPending)
        {
            // Throws EventRefusedException for an event the database refuses: that one is the event's own fault.
            if (database.TryCommit(batch, results, budget) is not { } fault)
            {
                return;
            }

            LogSpooling(batch.Count, spool.FilePath, fault.Message);
        }

        spool.Append(batch);
        Array.Fill(results, AppendResult.SpooledResult);
        telemetry.Spooled(batch.Count);
        drainer.Wake();
    }

    public void Dispose() => database.Dispose();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A commit of {Count} callbacks did not reach the database ({Reason}); callbacks go to the spool {Path} until it answers")]
    private partial void LogSpooling(int count, string path, string reason);
}
