using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Applies the numbered scripts in <c>Migrations/</c> that the database has not seen, before the host
/// starts serving. <c>PRAGMA user_version</c> holds the last script applied. Scripts run inside
/// <c>BEGIN IMMEDIATE</c>, so two hosts starting at once on a fresh file apply each script once.
/// A file that is not a SQLite database, or is another application's, stops start-up with a message naming it.
/// </summary>
public sealed partial class DatabaseMigrator(SqliteConnectionFactory connections, ILogger<DatabaseMigrator> logger) : IHostedLifecycleService
{
    private static readonly IReadOnlyList<(int Version, string Name, string Sql)> Scripts = LoadScripts();
    /// <summary>The schema version of the newest migration this build carries.</summary>
    public static readonly int LatestVersion = Scripts[^1].Version;

    // One statement, so one snapshot: read separately, another host's migration could commit in between and
    // make a fresh file look like a foreign one (tables present, version still 0).
    private const string ReadSchemaState =
        "SELECT (SELECT user_version FROM pragma_user_version) AS Version, (SELECT COUNT(*) FROM sqlite_master) AS Objects";

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Migrate();
        return Task.CompletedTask;
    }

    public void Migrate()
    {
        var path = connections.DatabasePath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var connection = connections.Open();
            // Reading the header first also proves the file is a SQLite database at all.
            if (CheckVersion(connection, path) == LatestVersion)
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
        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database file '{path}' is at schema version {version}, newer than this build knows ({LatestVersion}); run a newer CleanChat.");
        }

        if (version == 0 && objects > 0)
        {
            throw new InvalidOperationException(
                $"The database file '{path}' already holds tables that are not CleanChat's; point ConnectionStrings:CleanChat at another file.");
        }

        return (int)version;
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n["migrations/".Length..];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1)
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Migration} to {Database}")]
    private partial void LogApplying(string migration, string database);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
