using CleanChat.Infrastructure.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CleanChat.Infrastructure.Persistence;

public static class ReadinessChecks
{
    /// <summary>
    /// The webhook host's readiness: the database takes writes; or, on a node with a spool, the node can take callbacks
    /// durably one way or the other (<see cref="SpoolReadinessCheck"/>).
    /// </summary>
    public static HealthCheckRegistration EventLogWriter(string name, IEnumerable<string> tags) =>
        new(name, sp => sp.GetService<EventSpool>() is null
                ? ActivatorUtilities.CreateInstance<DatabaseWritableHealthCheck>(sp)
                : ActivatorUtilities.CreateInstance<SpoolReadinessCheck>(sp),
            failureStatus: null, tags);
}
