using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>One engine's answer to the health checks: can the event log be read, and could a write start now.</summary>
public interface IDatabaseProbe
{
    Task<HealthCheckResult> CheckReadableAsync(CancellationToken cancellationToken);

    /// <summary>Writes nothing: a probe must not cost a flush.</summary>
    Task<HealthCheckResult> CheckWritableAsync(CancellationToken cancellationToken);
}
