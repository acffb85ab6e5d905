using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using CleanChat.Infrastructure.Postgres;
using CleanChat.Infrastructure.Retention;
using CleanChat.Infrastructure.Spool;
using CleanChat.Infrastructure.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ZLogger;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    /// <summary>
    /// Storage on the engine <c>Storage:Engine</c> names (SQLite by default), migrated at start-up, with its
    /// health probe and the clock. A host then adds the side it uses: <see cref="AddEventLogWriter"/> or
    /// <see cref="AddEventLogReaders"/>.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var engine = EngineOf(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("CleanChat") ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .Validate(o => engine == StorageEngine.Postgres ? PostgresStorage.Fits(o.ConnectionString) : SqliteStorage.Fits(o.ConnectionString),
                engine == StorageEngine.Postgres ? PostgresStorage.ConnectionStringHelp : SqliteStorage.ConnectionStringHelp)
            .ValidateOnStart();
        services.AddOptions<WebhookEventFeedOptions>()
            .Bind(configuration.GetSection(WebhookEventFeedOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new DatabaseStartup(mayWaitForDatabase: false));
        _ = engine == StorageEngine.Postgres ? services.AddPostgresStorage() : services.AddSqliteStorage();
        services.AddHostedService<MigrateOnStart>();
        return services;
    }

    /// <summary>
    /// The write side, for the webhook host: the group-commit scheduler behind <see cref="IWebhookEventStore"/>. On
    /// PostgreSQL, with the spool in front of the database (<c>Storage:Spool</c>, on unless <c>Enabled</c> is false).
    /// </summary>
    public static IServiceCollection AddEventLogWriter(this IServiceCollection services, IConfiguration configuration)
    {
        var spooled = EngineOf(configuration) == StorageEngine.Postgres
            && configuration.GetValue($"{SpoolOptions.Section}:{nameof(SpoolOptions.Enabled)}", defaultValue: true);
        if (spooled)
        {
            services.AddSpool(configuration);
        }

        services.AddSingleton(sp => new GroupCommitScheduler(
            spooled ? SpoolingCommitters(sp) : () => sp.GetRequiredService<IEventLogWriterFactory>().Open(),
            sp.GetRequiredService<IOptions<StorageOptions>>(),
            sp.GetRequiredService<CleanChatMetrics>(),
            sp.GetRequiredService<ILogger<GroupCommitScheduler>>()));
        services.AddSingleton<IWebhookEventStore>(sp => sp.GetRequiredService<GroupCommitScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitScheduler>());
        return services;
    }

    private static void AddSpool(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SpoolOptions>()
            .Bind(configuration.GetSection(SpoolOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Replace(ServiceDescriptor.Singleton(new DatabaseStartup(mayWaitForDatabase: true)));
        // Opened when the host resolves its hosted services, before migrations: an unusable spool stops the node first.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SpoolOptions>>().Value;
            var path = Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, options.Path);
            return EventSpool.Open(path, options.MaxBytes);
        });
        services.AddSingleton<SpoolTelemetry>();
        services.TryAddSingleton<StateReplay>();
        services.AddSingleton<SpoolDrainer>();
        services.AddHostedService(sp => sp.GetRequiredService<SpoolDrainer>());
    }

    private static Func<IBatchCommitter> SpoolingCommitters(IServiceProvider sp)
    {
        var budget = TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<SpoolOptions>>().Value.CommitBudgetMs);
        return () => new SpoolingCommitter(
            sp.GetRequiredService<EventSpool>(),
            new BoundedCommitter(sp.GetRequiredService<IEventLogWriterFactory>()),
            sp.GetRequiredService<DatabaseStartup>(),
            sp.GetRequiredService<SpoolDrainer>(),
            budget,
            sp.GetRequiredService<SpoolTelemetry>(),
            sp.GetRequiredService<ILogger<SpoolingCommitter>>());
    }

    /// <summary>
    /// For the webhook host, after <see cref="AddEventLogWriter"/> and the application's callbacks: at start-up, folds
    /// into the state the events stored before their command was typed (<see cref="StateReplay"/>).
    /// </summary>
    public static IServiceCollection AddStateReplay(this IServiceCollection services)
    {
        services.TryAddSingleton<StateReplay>();
        services.AddHostedService(sp => sp.GetRequiredService<StateReplay>());
        return services;
    }

    /// <summary>
    /// For the webhook host: the retention job (<c>Retention</c>), which idles unless <c>Retention:MaxAge</c> is set.
    /// With it set, start-up requires an archive folder or <c>Retention:DeleteWithoutArchive=true</c>.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        var engine = EngineOf(configuration);
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxAge is null || o.MaxAge > TimeSpan.Zero, RetentionOptions.MaxAgePositive)
            .Validate(o => !o.Enabled || o.DeleteWithoutArchive || !string.IsNullOrWhiteSpace(o.ArchivePath), RetentionOptions.ArchiveRequired)
            .ValidateOnStart();
        services.TryAddSingleton<RetentionTelemetry>();
        services.TryAddSingleton(sp => new RetentionStore(sp, engine));
        services.TryAddSingleton(sp => new RetentionJob(
            sp.GetRequiredService<RetentionStore>(),
            sp.GetRequiredService<IOptions<RetentionOptions>>(),
            ArchiveOf(sp),
            sp.GetRequiredService<RetentionTelemetry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RetentionJob>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }

    /// <summary>The archive <c>Retention:ArchivePath</c> names, under the content root if relative; null without one.</summary>
    public static EventArchive? ArchiveOf(IServiceProvider services)
    {
        var path = services.GetRequiredService<IOptions<RetentionOptions>>().Value.ArchivePath;
        return string.IsNullOrWhiteSpace(path)
            ? null
            : new EventArchive(Path.GetFullPath(Path.Combine(services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory(), path)));
    }

    /// <summary>The read side, for the gRPC host: the readers, and the live feed that follows new commits.</summary>
    public static IServiceCollection AddEventLogReaders(this IServiceCollection services)
    {
        services.AddSingleton<IWebhookEventReader, WebhookEventReader>();
        services.AddSingleton<IOfficialAccountReader, OfficialAccountReader>();
        services.AddSingleton<WebhookEventFeed>();
        services.AddSingleton<IWebhookEventFeed>(sp => sp.GetRequiredService<WebhookEventFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookEventFeed>());
        return services;
    }

    /// <summary>
    /// OpenTelemetry for a host: CleanChat's own instruments plus ASP.NET Core's and Npgsql's, sent where
    /// <paramref name="exportMetrics"/> says. Traces are recorded only when they can leave the process, to an
    /// OTLP collector set with the standard OTEL_* variables; otherwise every request would build spans nobody reads.
    /// </summary>
    public static IServiceCollection AddTelemetry(
        this IServiceCollection services, IConfiguration configuration, Action<MeterProviderBuilder> exportMetrics)
    {
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(CleanChatTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql");
            exportMetrics(metrics);
        });
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing.AddSource(CleanChatTelemetry.Name, "Microsoft.AspNetCore", "Npgsql").AddOtlpExporter());
        }

        return services;
    }

    /// <summary>
    /// The hosts' log on standard output: plain text lines, or one JSON object per line when
    /// <c>Logging:Console:FormatterName</c> is <c>json</c>. It takes the console logger's place: that one writes and
    /// flushes each line on its own, a write call per line and one line per webhook; this one encodes straight to
    /// UTF-8 and writes the lines that have queued up in one go, flushing when the queue runs dry and when the host
    /// stops. <c>Logging:LogLevel</c> sets the levels as before.
    /// </summary>
    public static IServiceCollection AddConsoleLog(this IServiceCollection services, IConfiguration configuration)
    {
        var json = string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);
        return services.AddLogging(logging => logging.ClearProviders().AddZLoggerConsole(options =>
        {
            if (json)
            {
                options.UseJsonFormatter();
            }
            else
            {
                options.UsePlainTextFormatter(text => text.SetPrefixFormatter(
                    $"{0:utc-longdate} {1:short} {2}: ",
                    (in MessageTemplate line, in LogInfo info) => line.Format(info.Timestamp, info.LogLevel, info.Category)));
            }
        }));
    }

    private static StorageEngine EngineOf(IConfiguration configuration)
    {
        var value = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Engine)}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return StorageEngine.Sqlite;
        }

        return Enum.TryParse<StorageEngine>(value, ignoreCase: true, out var engine) && Enum.IsDefined(engine)
            ? engine
            : throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"Storage:Engine must be Sqlite or Postgres, not '{value}'."]);
    }
}
