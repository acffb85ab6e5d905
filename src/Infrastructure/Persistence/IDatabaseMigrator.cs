namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Brings the database to this build's schema before a host serves: applies the engine's numbered scripts
/// that the database has not seen, each once even when several nodes start together. A database with a newer
/// schema, or one that holds another application's tables, stops start-up with a message that names it.
/// </summary>
public interface IDatabaseMigrator
{
    /// <summary>The schema version of the newest script this build carries.</summary>
    int LatestVersion { get; }

    void Migrate();
}
