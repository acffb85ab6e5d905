using CleanChat.Application.Common.Telemetry;
using CleanChat.Infrastructure.Persistence;
using CleanChat.WebhookApi.Webhook;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddWebhookApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.SdkAppIds.Length > 0 && o.SdkAppIds.All(id => !string.IsNullOrWhiteSpace(id)),
                "Webhook:SdkAppIds must list the SDKAppID of at least one app (e.g. Webhook__SdkAppIds__0=1400000000).")
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 64 * 1024 * 1024,
                "Webhook:MaxBodyBytes must be between 1024 and 67108864.")
            .ValidateOnStart();
        services.AddSingleton<WebhookEndpoint>();
        services.AddHealthChecks().AddCheck<DatabaseWritableHealthCheck>("database", tags: [ReadyTag]);
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(CleanChatTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(CleanChatTelemetry.Name, "Microsoft.AspNetCore");
                // Traces leave the process only when an OTLP collector is configured (standard OTEL_* variables).
                if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    public static WebApplication MapWebhookApi(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<WebhookEndpoint>();
        // Every method is mapped so that a wrong one still gets a Tencent-shaped 405.
        app.Map(WebhookEndpoint.Path, endpoint.HandleAsync);
        // Alive: answers while the process serves HTTP, whatever the database. Ready: the database takes writes.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
