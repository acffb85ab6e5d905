using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>Healthy while the event log can be read (the gRPC host's readiness).</summary>
public sealed class DatabaseHealthCheck(IDatabaseProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        probe.CheckReadableAsync(cancellationToken);
}
