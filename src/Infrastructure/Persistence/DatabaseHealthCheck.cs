using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>Healthy while the event log can be read.</summary>
public sealed class DatabaseHealthCheck(SqliteConnectionFactory connections) : IHealthCheck
{
    private const string Probe = "SELECT COUNT(*) FROM (SELECT 1 FROM webhook_events LIMIT 1)";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Unpooled, so a file that vanished or broke is seen now, not hidden behind a pooled handle.
            using var connection = connections.OpenExisting();
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(Probe, cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"The database '{connections.DatabasePath}' cannot be read.", e);
        }
    }
}
