using System.Data.Common;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>Opens connections to the configured database; the seam a second provider would plug into.</summary>
public interface ISqlConnectionFactory
{
    /// <summary>A new open connection for reads, from the pool.</summary>
    DbConnection OpenConnection();

    /// <summary>
    /// The same, for async reads: while a bounded pool (PostgreSQL's) is busy, the caller waits without holding a
    /// thread. A burst of calls, such as many watchers reading their backlogs at once, would otherwise block every
    /// thread-pool thread on the pool, including those the reads holding its connections need to finish.
    /// </summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);
}
