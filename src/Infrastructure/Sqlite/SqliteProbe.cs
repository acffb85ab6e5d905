using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// Probes the file on an unpooled connection, so a file that vanished or broke is seen now, not hidden behind a
/// pooled handle. Writable means: at its path, not read-only, and its write lock can be taken within the busy
/// timeout; the transaction is rolled back.
/// </summary>
internal sealed class SqliteProbe(SqliteConnectionFactory connections) : IDatabaseProbe
{
    private const string Probe = "SELECT COUNT(*) FROM (SELECT 1 FROM webhook_events LIMIT 1)";

    public async Task<HealthCheckResult> CheckReadableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = connections.OpenExisting();
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(Probe, cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"The database '{connections.DatabasePath}' cannot be read.", e);
        }
    }

    public Task<HealthCheckResult> CheckWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = connections.OpenExisting();
            // SQLite opens a file it may not write read-only without complaint, and takes the lock even so.
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"The database '{connections.DatabasePath}' is read-only."));
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            transaction.Rollback();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The database '{connections.DatabasePath}' cannot be written.", e));
        }
    }
}
