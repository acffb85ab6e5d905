using CleanChat.Application.Common.Interfaces;
using CleanChat.GrpcApi.Authentication;
using CleanChat.GrpcApi.Interceptors;
using CleanChat.GrpcApi.Services;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;

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
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ApiKeyInterceptor>();
            o.Interceptors.Add<ExceptionMappingInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // The live feed runs only in this host: the webhook host writes, it never watches.
        services.AddOptions<WebhookEventFeedOptions>()
            .Bind(configuration.GetSection(WebhookEventFeedOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WebhookEventFeed>();
        services.AddSingleton<IWebhookEventFeed>(sp => sp.GetRequiredService<WebhookEventFeed>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookEventFeed>());
        return services;
    }

    public static WebApplication MapGrpcApi(this WebApplication app)
    {
        app.MapGrpcService<WebhookEventGrpcService>();
        app.MapGrpcService<OfficialAccountGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
