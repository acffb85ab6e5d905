using CleanChat.Application.Common.Ports;
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

    private StoreFixture(
        ITestDatabase database, bool ownsDatabase, IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? replace)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _services = Services(settings, replace);
        Migrator = _services.GetRequiredService<IDatabaseMigrator>();
        Store = _services.GetRequiredService<GroupCommitScheduler>();
        Events = (WebhookEventReader)_services.GetRequiredService<IWebhookEventReader>();
        Accounts = (OfficialAccountReader)_services.GetRequiredService<IOfficialAccountReader>();
        Feed = _services.GetRequiredService<WebhookEventFeed>();
    }

    public ITestDatabase Database { get; }
    public IDatabaseMigrator Migrator { get; }
    public GroupCommitScheduler Store { get; }
    public WebhookEventReader Events { get; }
    public OfficialAccountReader Accounts { get; }
    public WebhookEventFeed Feed { get; }

    /// <summary>Another of its services, e.g. one a test registered in place of the engine's.</summary>
    public T Resolve<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A migrator for <paramref name="database"/>, built as a host builds it.</summary>
    public static IDatabaseMigrator CreateMigrator(ITestDatabase database) =>
        Services(Settings(database)).GetRequiredService<IDatabaseMigrator>();

    /// <summary>Runs every migrator at the same moment, each on a thread of its own, as hosts starting together do.</summary>
    public static async Task MigrateAtOnceAsync(IReadOnlyList<IDatabaseMigrator> migrators)
    {
        using var start = new ManualResetEventSlim();
        var running = migrators.Select(m => Task.Run(() =>
        {
            start.Wait();
            m.Migrate();
        })).ToArray();
        start.Set();
        await Task.WhenAll(running);
    }

    /// <summary>Starts on a fresh database of its own on <paramref name="engine"/>.</summary>
    /// <param name="settings">More configuration, e.g. <c>("Watch:SubscriberBufferSize", "3")</c>.</param>
    public static Task<StoreFixture> StartAsync(string engine, int maxBatchSize = 512, params (string Key, string Value)[] settings) =>
        StartAsync(TestDatabases.Create(engine), ownsDatabase: true, maxBatchSize, connectionOptions: "", settings);

    /// <summary>Starts on a fresh database of its own on <paramref name="engine"/> with some registrations replaced.</summary>
    public static Task<StoreFixture> StartAsync(string engine, Action<IServiceCollection> replace, params (string Key, string Value)[] settings) =>
        StartAsync(TestDatabases.Create(engine), ownsDatabase: true, maxBatchSize: 512, connectionOptions: "", settings, replace);

    /// <summary>Starts on <paramref name="database"/>, which is left in place afterwards.</summary>
    /// <param name="connectionOptions">Appended to the connection string, e.g. <c>";Default Timeout=1"</c>.</param>
    public static Task<StoreFixture> StartAsync(
        ITestDatabase database, int maxBatchSize = 512, string connectionOptions = "", params (string Key, string Value)[] settings) =>
        StartAsync(database, ownsDatabase: false, maxBatchSize, connectionOptions, settings);

    /// <summary>Starts on <paramref name="database"/> with some registrations replaced, e.g. an engine's writer.</summary>
    public static Task<StoreFixture> StartAsync(ITestDatabase database, Action<IServiceCollection> replace, params (string Key, string Value)[] settings) =>
        StartAsync(database, ownsDatabase: false, maxBatchSize: 512, connectionOptions: "", settings, replace);

    private static async Task<StoreFixture> StartAsync(
        ITestDatabase database, bool ownsDatabase, int maxBatchSize, string connectionOptions, (string Key, string Value)[] settings,
        Action<IServiceCollection>? replace = null)
    {
        var used = database;
        var all = Settings(used, connectionOptions)
            .Append(new("Storage:MaxBatchSize", maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        var fixture = new StoreFixture(used, ownsDatabase, all, replace);
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

    private static IEnumerable<KeyValuePair<string, string?>> Settings(ITestDatabase database, string connectionOptions = "") =>
        // The store as the engine alone gives it: the webhook node's spool in front of PostgreSQL has tests of its own.
        [new("Storage:Engine", database.Engine), new("ConnectionStrings:CleanChat", database.ConnectionString + connectionOptions), new("Storage:Spool:Enabled", "false")];

    private static ServiceProvider Services(IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? replace = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<CleanChatMetrics>()
            .AddInfrastructure(configuration)
            .AddEventLogWriter(configuration)
            .AddEventLogReaders()
            .AddRetention(configuration);
        replace?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
