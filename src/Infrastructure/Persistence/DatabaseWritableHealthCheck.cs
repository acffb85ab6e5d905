using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Healthy while a write could start now: the file is at its path, writable, and its write lock can be taken
/// within the busy timeout. Writes nothing (the transaction is rolled back), so probing costs no fsync.
/// A full disk shows only when a commit needs space: as 500 answers and failed-commit metrics.
/// </summary>
public sealed class DatabaseWritableHealthCheck(SqliteConnectionFactory connections) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
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
