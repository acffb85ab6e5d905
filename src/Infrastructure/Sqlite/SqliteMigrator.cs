using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// Applies the numbered scripts in <c>Sqlite/Migrations/</c> that the database has not seen, before the host
/// starts serving. <c>PRAGMA user_version</c> holds the last script applied. Scripts run inside
/// <c>BEGIN IMMEDIATE</c>, so two hosts starting at once on a fresh file apply each script once.
/// A file that is not a SQLite database, or is another application's, stops start-up with a message naming it.
/// </summary>
public sealed partial class SqliteMigrator(SqliteConnectionFactory connections, ILogger<SqliteMigrator> logger) : IDatabaseMigrator
{
    private static readonly IReadOnlyList<(int Version, string Name, string Sql)> Scripts = MigrationScripts.For(StorageEngine.Sqlite);

    /// <summary>The schema version of the newest migration this build carries.</summary>
    public static readonly int Latest = Scripts[^1].Version;

    public int LatestVersion => Latest;

    // One statement, so one snapshot: read separately, another host's migration could commit in between and
    // make a fresh file look like a foreign one (tables present, version still 0).
    private const string ReadSchemaState =
        "SELECT (SELECT user_version FROM pragma_user_version) AS Version, (SELECT COUNT(*) FROM sqlite_master) AS Objects";

    public void Migrate()
    {
        var path = connections.DatabasePath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var connection = connections.Open();
            // Reading the header first also proves the file is a SQLite database at all.
            if (CheckVersion(connection, path) == Latest)
            {
                // Up to date: take no write lock, so a host still starts on a file that is read-only for
                // now; its webhooks answer 500 and /readyz says why until the file is writable again.
                return;
            }

            // WAL lets readers (the gRPC host) run while the webhook host commits. The mode is stored
            // in the file, so setting it once here holds for every later connection.
            connection.Execute("PRAGMA journal_mode = WAL;");

            using var transaction = connection.BeginTransaction(deferred: false);
            // Read again under the write lock: another host may have migrated meanwhile.
            var current = CheckVersion(connection, path, transaction);
            foreach (var (version, name, sql) in Scripts.Where(s => s.Version > current))
            {
                LogApplying(name, path);
                connection.Execute(sql, transaction: transaction);
                // PRAGMA takes no parameters; version is an integer parsed from our own file name.
                connection.Execute($"PRAGMA user_version = {version};", transaction: transaction);
            }

            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw new InvalidOperationException(
                $"The database file '{path}' could not be opened or migrated as a CleanChat database: {e.Message}", e);
        }
    }

    private static int CheckVersion(SqliteConnection connection, string path, SqliteTransaction? transaction = null)
    {
        var (version, objects) = connection.QuerySingle<(long Version, long Objects)>(ReadSchemaState, transaction: transaction);
        if (version > Latest)
        {
            throw new InvalidOperationException(
                $"The database file '{path}' is at schema version {version}, newer than this build knows ({Latest}); run a newer CleanChat.");
        }

        if (version == 0 && objects > 0)
        {
            throw new InvalidOperationException(
                $"The database file '{path}' already holds tables that are not CleanChat's; point ConnectionStrings:CleanChat at another file.");
        }

        return (int)version;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Migration} to {Database}")]
    private partial void LogApplying(string migration, string database);
}
