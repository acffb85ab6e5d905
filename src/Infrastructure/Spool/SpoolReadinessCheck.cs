using System.Globalization;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Spool;

/// <summary>
/// A webhook node with a spool is ready while it can take callbacks durably: Healthy while the database takes writes,
/// Degraded (still HTTP 200, so a load balancer keeps the node) while callbacks go to a spool that can take them, and
/// Unhealthy only when neither can. The description says which.
/// </summary>
internal sealed class SpoolReadinessCheck(IDatabaseProbe probe, EventSpool spool, DatabaseStartup startup, TimeProvider clock) : IHealthCheck
{
    // A frozen server answers nothing: the probe is not waited on for longer than a load balancer's check would wait.
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var database = await ProbeAsync(cancellationToken);
        var held = spool.Depth == 0 ? "empty" : string.Create(CultureInfo.InvariantCulture,
            $"{spool.Depth} callbacks, the oldest {(clock.GetUtcNow() - spool.OldestReceiveTime.GetValueOrDefault()).TotalSeconds:0} s old");
        if (database.Status == HealthStatus.Healthy && !startup.IsPending)
        {
            return HealthCheckResult.Healthy($"The database takes writes; the spool is {held}.");
        }

        var why = (database.Description ?? "The database is not ready").TrimEnd('.');
        if (spool.LastWriteFault is { } fault)
        {
            return HealthCheckResult.Unhealthy($"{why}, and the spool {spool.FilePath} cannot be written: {fault}");
        }

        if (spool.Bytes >= spool.MaxBytes)
        {
            return HealthCheckResult.Unhealthy($"{why}, and the spool {spool.FilePath} is full (Storage:Spool:MaxBytes).");
        }

        return HealthCheckResult.Degraded($"{why}; callbacks go to the spool {spool.FilePath} ({held}).");
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            // On a thread-pool thread: opening a connection blocks, and it must not hold the check past the limit.
            return await Task.Run(() => probe.CheckWritableAsync(cancellationToken), cancellationToken).WaitAsync(ProbeLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {ProbeLimit.TotalSeconds:0} s.");
        }
    }
}
