using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using CleanChat.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// The storage components over a fresh database, wired by the same registration calls the hosts make, so the
/// engine is chosen by configuration alone. The feed is built but not started.
/// </summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _ownsDatabase;

    private StoreFixture(TemporaryDatabase database, bool ownsDatabase, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _services = Services(settings);
        Migrator = _services.GetRequiredService<IDatabaseMigrator>();
        Store = _services.GetRequiredService<GroupCommitScheduler>();
        Events = (WebhookEventReader)_services.GetRequiredService<IWebhookEventReader>();
        Accounts = (OfficialAccountReader)_services.GetRequiredService<IOfficialAccountReader>();
        Feed = _services.GetRequiredService<WebhookEventFeed>();
    }

    public TemporaryDatabase Database { get; }
    public IDatabaseMigrator Migrator { get; }
    public GroupCommitScheduler Store { get; }
    public WebhookEventReader Events { get; }
    public OfficialAccountReader Accounts { get; }
    public WebhookEventFeed Feed { get; }

    /// <summary>A migrator for <paramref name="database"/>, built as a host builds it.</summary>
    public static IDatabaseMigrator CreateMigrator(TemporaryDatabase database) =>
        Services(Settings(database.ConnectionString)).GetRequiredService<IDatabaseMigrator>();

    /// <summary>Starts on <paramref name="database"/> (left in place afterwards), or on a fresh one of its own.</summary>
    /// <param name="connectionOptions">Appended to the connection string, e.g. <c>";Default Timeout=1"</c>.</param>
    /// <param name="settings">More configuration, e.g. <c>("Watch:SubscriberBufferSize", "3")</c>.</param>
    public static async Task<StoreFixture> StartAsync(
        TemporaryDatabase? database = null, int maxBatchSize = 512, string connectionOptions = "", params (string Key, string Value)[] settings)
    {
        var used = database ?? new TemporaryDatabase();
        var all = Settings(used.ConnectionString + connectionOptions)
            .Append(new("Storage:MaxBatchSize", maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        var fixture = new StoreFixture(used, ownsDatabase: database is null, all);
        fixture.Migrator.Migrate();
        await fixture.Store.StartAsync(CancellationToken.None);
        return fixture;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        if (_ownsDatabase)
        {
            Database.Dispose();
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> Settings(string connectionString) =>
        [new("ConnectionStrings:CleanChat", connectionString)];

    private static ServiceProvider Services(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<CleanChatMetrics>()
            .AddInfrastructure(configuration)
            .AddEventLogWriter()
            .AddEventLogReaders()
            .BuildServiceProvider();
    }
}
