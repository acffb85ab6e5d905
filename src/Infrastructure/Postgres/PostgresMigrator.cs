using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>
/// Applies the numbered scripts in <c>Postgres/Migrations/</c> that the database has not seen, in one
/// transaction under an advisory lock, so nodes starting together on an empty database apply each script once.
/// <c>cleanchat_schema.version</c> holds the last script applied. A database newer than this build, or one whose
/// schema already holds another application's tables, stops start-up with a message that names it.
/// </summary>
public sealed partial class PostgresMigrator(PostgresConnectionFactory connections, ILogger<PostgresMigrator> logger) : IDatabaseMigrator
{
    private static readonly IReadOnlyList<(int Version, string Name, string Sql)> Scripts = MigrationScripts.For(StorageEngine.Postgres);

    /// <summary>Any constant, the same on every node ("CCmigrate"), different from the commit lock.</summary>
    private const long MigrationLockKey = 0x43_43_6D_69_67_72_61;

    private const string TakeMigrationLock = "SELECT pg_advisory_xact_lock(@Key)";

    private const string ReadSchemaState = """
        SELECT
            (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()) AS Tables,
            to_regclass('cleanchat_schema') IS NOT NULL AS Versioned
        """;

    private const string ReadVersion = "SELECT version FROM cleanchat_schema";
    private const string CreateVersionTable = "CREATE TABLE cleanchat_schema (version integer NOT NULL); INSERT INTO cleanchat_schema VALUES (0)";
    private const string SetVersion = "UPDATE cleanchat_schema SET version = @Version";

    public int LatestVersion => Scripts[^1].Version;

    public void Migrate()
    {
        try
        {
            using var connection = connections.OpenReadConnection();
            using var transaction = connection.BeginTransaction();
            connection.Execute(TakeMigrationLock, new { Key = MigrationLockKey }, transaction);
            var current = CheckVersion(connection, transaction);
            foreach (var (version, name, sql) in Scripts.Where(s => s.Version > current))
            {
                LogApplying(name, connections.Describe);
                connection.Execute(sql, transaction: transaction);
                connection.Execute(SetVersion, new { Version = version }, transaction);
            }

            transaction.Commit();
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            // Refused, timed out, starting up or shutting down: the server may answer later.
            throw new DatabaseUnreachableException(
                $"The {connections.Describe} could not be reached (ConnectionStrings:CleanChat): {e.Message}", e);
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"The {connections.Describe} could not be reached or migrated as a CleanChat database " +
                $"(ConnectionStrings:CleanChat): {e.Message}", e);
        }
    }

    private int CheckVersion(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var (tables, versioned) = connection.QuerySingle<(long Tables, bool Versioned)>(ReadSchemaState, transaction: transaction);
        if (!versioned)
        {
            if (tables > 0)
            {
                throw new InvalidOperationException(
                    $"The {connections.Describe} already holds tables that are not CleanChat's; point ConnectionStrings:CleanChat at another database.");
            }

            connection.Execute(CreateVersionTable, transaction: transaction);
            return 0;
        }

        var version = connection.ExecuteScalar<int>(ReadVersion, transaction: transaction);
        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The {connections.Describe} is at schema version {version}, newer than this build knows ({LatestVersion}); run a newer CleanChat.");
        }

        return version;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Migration} to the {Database}")]
    private partial void LogApplying(string migration, string database);
}
