using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Healthy while a write could start now (the webhook host's readiness). A full disk shows only when a commit
/// needs space: as 500 answers and failed-commit metrics.
/// </summary>
public sealed class DatabaseWritableHealthCheck(IDatabaseProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        probe.CheckWritableAsync(cancellationToken);
}
