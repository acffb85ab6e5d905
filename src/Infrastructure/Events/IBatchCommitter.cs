using CleanChat.Application.Common.Ports;

namespace CleanChat.Infrastructure.Events;

/// <summary>What <see cref="GroupCommitScheduler"/> hands each batch to: an engine's writer, or the spool in front of one.</summary>
internal interface IBatchCommitter : IDisposable
{
    /// <summary>
    /// Makes every append of <paramref name="batch"/> durable, and fills <paramref name="results"/> in the same order.
    /// Throws <see cref="EventRefusedException"/> when the database refuses one event for what it holds (nothing is
    /// committed then); any other exception fails the batch, after which the committer is disposed and a new one opened.
    /// </summary>
    void Commit(IReadOnlyList<PendingAppend> batch, AppendResult[] results);
}
