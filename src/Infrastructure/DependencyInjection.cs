using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    /// <summary>SQLite storage (migrated at start-up), the group-commit writer, the readers and the clock.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("CleanChat") ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .Validate(o => IsSqliteFile(o.ConnectionString),
                "ConnectionStrings:CleanChat must be a SQLite connection string naming a file, e.g. 'Data Source=data/cleanchat.db'.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<ISqlConnectionFactory>(sp => sp.GetRequiredService<SqliteConnectionFactory>());
        services.AddHostedService<DatabaseMigrator>();

        services.AddSingleton<WebhookEventStore>();
        services.AddSingleton<IWebhookEventStore>(sp => sp.GetRequiredService<WebhookEventStore>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookEventStore>());

        services.AddSingleton<IWebhookEventReader, WebhookEventReader>();
        // The feed that fans new events out to watchers. It reads the log only once a host starts it as a hosted
        // service, which only GrpcApi does.
        services.AddOptions<WebhookEventFeedOptions>()
            .Bind(configuration.GetSection(WebhookEventFeedOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WebhookEventFeed>();
        services.AddSingleton<IWebhookEventFeed>(sp => sp.GetRequiredService<WebhookEventFeed>());
        services.AddSingleton<IOfficialAccountReader, OfficialAccountReader>();
        return services;
    }

    /// <summary>
    /// OpenTelemetry for a host: CleanChat's own instruments plus ASP.NET Core's, sent where
    /// <paramref name="exportMetrics"/> says. Traces are recorded only when they can leave the process, to an
    /// OTLP collector set with the standard OTEL_* variables; otherwise every request would build spans nobody reads.
    /// </summary>
    public static IServiceCollection AddTelemetry(
        this IServiceCollection services, IConfiguration configuration, Action<MeterProviderBuilder> exportMetrics)
    {
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(CleanChatTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            exportMetrics(metrics);
        });
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing.AddSource(CleanChatTelemetry.Name, "Microsoft.AspNetCore").AddOtlpExporter());
        }

        return services;
    }

    private static bool IsSqliteFile(string connectionString)
    {
        try
        {
            var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
            return !string.IsNullOrWhiteSpace(dataSource) && dataSource != ":memory:";
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
