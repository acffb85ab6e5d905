using Microsoft.Extensions.Hosting;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>Runs the engine's migrator before any other hosted service starts, so a host never serves an old schema.</summary>
internal sealed class MigrateOnStart(IDatabaseMigrator migrator) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        migrator.Migrate();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
