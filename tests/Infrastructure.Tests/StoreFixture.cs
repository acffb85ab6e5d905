using System.Diagnostics.Metrics;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using CleanChat.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Tests;

/// <summary>The storage components wired by hand over a fresh SQLite file, as the hosts wire them.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly bool _ownsDatabase;

    private StoreFixture(TemporaryDatabase database, bool ownsDatabase, StorageOptions options)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        var wrapped = Options.Create(options);
        Connections = new SqliteConnectionFactory(wrapped);
        Migrator = new DatabaseMigrator(Connections, NullLogger<DatabaseMigrator>.Instance);
        Store = new WebhookEventStore(Connections, wrapped, Metrics, NullLogger<WebhookEventStore>.Instance);
        Events = new WebhookEventReader(Connections);
        Accounts = new OfficialAccountReader(Connections);
    }

    private static CleanChatMetrics Metrics { get; } =
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public TemporaryDatabase Database { get; }
    public SqliteConnectionFactory Connections { get; }
    public DatabaseMigrator Migrator { get; }
    public WebhookEventStore Store { get; }
    public WebhookEventReader Events { get; }
    public OfficialAccountReader Accounts { get; }

    /// <summary>Starts on <paramref name="database"/> (left in place afterwards), or on a fresh one of its own.</summary>
    public static DatabaseMigrator CreateMigrator(TemporaryDatabase database) => new(
        new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = database.ConnectionString })),
        NullLogger<DatabaseMigrator>.Instance);

    /// <param name="connectionOptions">Appended to the connection string, e.g. <c>";Default Timeout=1"</c>.</param>
    public static async Task<StoreFixture> StartAsync(TemporaryDatabase? database = null, int maxBatchSize = 512, string connectionOptions = "")
    {
        var used = database ?? new TemporaryDatabase();
        var fixture = new StoreFixture(
            used,
            ownsDatabase: database is null,
            new StorageOptions { ConnectionString = used.ConnectionString + connectionOptions, MaxBatchSize = maxBatchSize });
        fixture.Migrator.Migrate();
        await fixture.Store.StartAsync(CancellationToken.None);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.StopAsync(CancellationToken.None);
        Store.Dispose();
        if (_ownsDatabase)
        {
            Database.Dispose();
        }
    }
}
