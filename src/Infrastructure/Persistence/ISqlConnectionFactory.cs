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

    /// <summary>
    /// A point read for the hottest reads: the row of <paramref name="select"/> (a constant <c>SELECT … FROM …</c>)
    /// whose <paramref name="keyColumn"/> is the key, <paramref name="keyOf"/> giving a row's key. SQLite keeps the
    /// statement prepared on a few open connections and runs it synchronously (it has no asynchronous I/O);
    /// PostgreSQL reads the keys of calls that arrive together with one statement, asynchronously.
    /// </summary>
    IPointRead<TRow> CreatePointRead<TRow>(string select, string keyColumn, Func<TRow, long> keyOf);
}
