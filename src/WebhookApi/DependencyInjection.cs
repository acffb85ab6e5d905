using CleanChat.WebhookApi.Webhook;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
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
        return services;
    }

    public static WebApplication MapWebhookApi(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<WebhookEndpoint>();
        // Every method is mapped so that a wrong one still gets a Tencent-shaped 405.
        app.Map(WebhookEndpoint.Path, endpoint.HandleAsync);
        return app;
    }
}
