using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Runs the engine's migrator before any other hosted service starts, so a host never serves an old schema. On a webhook
/// node with a spool, a database that cannot be reached postpones the migration to the spool's drainer instead
/// (<see cref="DatabaseStartup"/>); nothing is written to the database before it has run.
/// </summary>
internal sealed partial class MigrateOnStart(IDatabaseMigrator migrator, DatabaseStartup startup, ILogger<MigrateOnStart> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            migrator.Migrate();
        }
        catch (DatabaseUnreachableException e) when (startup.MayWaitForDatabase)
        {
            LogPostponed(e.Message);
            startup.Postpone();
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Starting without the database ({Reason}): callbacks go to the spool, and migrations run when the database answers")]
    private partial void LogPostponed(string reason);
}
