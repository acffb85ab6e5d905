namespace CleanChat.Infrastructure.Events;

/// <summary>
/// How the live feed learns that the log may have grown: SQLite polls <c>PRAGMA data_version</c>; PostgreSQL
/// listens for the writer's NOTIFY and also wakes on a slower timer, so a lost notification only delays an event.
/// A signal may fire when nothing is new; the feed then reads nothing.
/// </summary>
public interface ICommitSignal : IDisposable
{
    /// <summary>Completes when a commit may have happened since the last call. Throws on a database fault; the next call reconnects.</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}
