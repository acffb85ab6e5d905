namespace CleanChat.Infrastructure.Persistence;

/// <summary>Where the event log lives (<c>Storage:Engine</c>).</summary>
public enum StorageEngine
{
    /// <summary>One embedded file, shared by the hosts on one machine: the default, no set-up.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by any number of webhook and gRPC nodes.</summary>
    Postgres,
}
