using CleanChat.GrpcApi.Interceptors;
using CleanChat.GrpcApi.Services;
using CleanChat.Infrastructure.Persistence;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddGrpcApi(this IServiceCollection services)
    {
        services.AddGrpc(o => o.Interceptors.Add<ExceptionMappingInterceptor>());
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
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
