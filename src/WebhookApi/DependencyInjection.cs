using CleanChat.Infrastructure.Persistence;
using CleanChat.WebhookApi.Webhook;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

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
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= WebhookOptions.MaxBodyBytesLimit,
                $"Webhook:MaxBodyBytes must be between 1024 and {WebhookOptions.MaxBodyBytesLimit}.")
            .Validate(o => o.Token is null or "" || IsUsableToken(o.Token),
                $"Webhook:Token must not be blank and must be at most {WebhookOptions.MaxTokenLength} characters.")
            .Validate(o => o.Tokens.All(IsUsableToken),
                $"Webhook:Tokens must not contain a blank entry, and each must be at most {WebhookOptions.MaxTokenLength} characters.")
            .Validate(o => o.MaxClockSkewSeconds is >= 1 and <= 86_400,
                "Webhook:MaxClockSkewSeconds must be between 1 and 86400.")
            .ValidateOnStart();
        services.AddSingleton<WebhookAuthenticator>();
        services.AddSingleton<WebhookEndpoint>();

        // ASP.NET Core's "Request starting" line holds the whole URL, and with authentication on the URL holds Sign.
        // The endpoint logs its own line per request instead.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddHealthChecks().Add(ReadinessChecks.EventLogWriter("database", [ReadyTag]));
        // Metrics are scraped from this host's /metrics (the Prometheus exporter); the rest is shared.
        services.AddTelemetry(configuration, metrics => metrics.AddPrometheusExporter());
        services.AddConsoleLog(configuration);
        return services;
    }

    public static WebApplication MapWebhookApi(this WebApplication app)
    {
        app.Services.GetRequiredService<WebhookAuthenticator>().LogConfiguration();
        var endpoint = app.Services.GetRequiredService<WebhookEndpoint>();
        // Every method is mapped so that a wrong one still gets a Tencent-shaped 405.
        app.Map(WebhookEndpoint.Path, endpoint.HandleAsync);
        // Alive: answers while the process serves HTTP, whatever the database. Ready: the database takes writes.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReadiness });
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    // The status, then why: a node on PostgreSQL says whether callbacks go to the database or to its spool.
    private static Task WriteReadiness(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        var why = string.Join(" ", report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d)));
        return http.Response.WriteAsync(why.Length == 0 ? report.Status.ToString() : $"{report.Status}: {why}");
    }

    private static bool IsUsableToken(string token) =>
        !string.IsNullOrWhiteSpace(token) && token.Length <= WebhookOptions.MaxTokenLength;
}
