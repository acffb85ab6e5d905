using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>
/// Readable: the event log answers a query. Writable: besides that, the server is not a read-only standby and
/// the session is not read-only, so a commit could start now. Writes nothing.
/// </summary>
internal sealed class PostgresProbe(PostgresConnectionFactory connections) : IDatabaseProbe
{
    private const string Read = "SELECT COUNT(*) FROM (SELECT 1 FROM webhook_events LIMIT 1) AS one";
    private const string WriteState = "SELECT pg_is_in_recovery() AS Standby, current_setting('transaction_read_only') = 'on' AS ReadOnly";

    public async Task<HealthCheckResult> CheckReadableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = connections.OpenReadConnection();
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(Read, cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"The {connections.Describe} cannot be read.", e);
        }
    }

    public async Task<HealthCheckResult> CheckWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = connections.OpenWriteConnection();
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(Read, cancellationToken: cancellationToken));
            var (standby, readOnly) = await connection.QuerySingleAsync<(bool Standby, bool ReadOnly)>(
                new CommandDefinition(WriteState, cancellationToken: cancellationToken));
            return standby ? HealthCheckResult.Unhealthy($"The {connections.Describe} is a read-only standby.")
                : readOnly ? HealthCheckResult.Unhealthy($"The {connections.Describe} is read-only.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"The {connections.Describe} cannot be written.", e);
        }
    }
}
