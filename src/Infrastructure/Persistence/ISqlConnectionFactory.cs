using System.Data.Common;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>Opens connections to the configured database; the seam a second provider would plug into.</summary>
public interface ISqlConnectionFactory
{
    /// <summary>A new open connection for reads, from the pool.</summary>
    DbConnection OpenConnection();
}
