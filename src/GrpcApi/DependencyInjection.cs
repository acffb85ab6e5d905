using CleanChat.GrpcApi.Authentication;
using CleanChat.GrpcApi.Interceptors;
using CleanChat.GrpcApi.Services;
using CleanChat.Infrastructure.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddGrpcApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>()
            .Bind(configuration.GetSection(ApiKeyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Authentication first: an unauthenticated call never reaches the error mapping or a handler.
        // Both are stateless: registered as singletons, they are built once rather than for every call (gRPC's
        // default), which hashed every configured API key again per call.
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddSingleton<ExceptionMappingInterceptor>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ApiKeyInterceptor>();
            o.Interceptors.Add<ExceptionMappingInterceptor>();
        });
        services.AddGrpcReflection();
        // One per process: every Watch stream sends the same encoding of an event.
        services.AddSingleton<EncodedEventCache>();
        // Check runs the checks on every call. Watch is fed by the health-check publisher, whose defaults
        // (first run after 5 s, then every 30 s) would leave a watcher SERVING long after the database went away.
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = TimeSpan.FromSeconds(5);
        });
        // Metrics are scraped from this host's /metrics (the Prometheus exporter); the rest is shared.
        services.AddTelemetry(configuration, metrics => metrics.AddPrometheusExporter());
        services.AddConsoleLog(configuration);
        return services;
    }

    public static WebApplication MapGrpcApi(this WebApplication app)
    {
        app.MapGrpcService<WebhookEventGrpcService>();
        app.MapGrpcService<OfficialAccountGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        // The same checks over plain HTTP, for probes that do not speak gRPC: alive, and database readable.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz");
        // Served on every endpoint; appsettings adds an HTTP/1.1 one so Prometheus can scrape without h2c.
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
