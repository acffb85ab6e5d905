namespace CleanChat.Infrastructure.Persistence;

/// <summary>How durable a commit is before the webhook is answered (<c>Storage:Synchronous</c>).</summary>
public enum SynchronousMode
{
    /// <summary>Flushed to disk: survives power loss.</summary>
    Full,

    /// <summary>
    /// Not flushed before the answer. SQLite: survives a crash of the process, not power loss. PostgreSQL
    /// (<c>synchronous_commit = off</c>): a crash of the database server may lose the last fraction of a second.
    /// </summary>
    Normal,
}
