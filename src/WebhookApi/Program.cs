using CleanChat.WebhookApi.Verbs;

namespace CleanChat.WebhookApi;

public sealed class Program
{
    public static int Main(string[] args)
    {
        // An operator command (backup, restore-archive) runs and exits instead of starting the host.
        if (HostVerbs.IsVerb(args))
        {
            return HostVerbs.Run(args);
        }

        var builder = WebApplication.CreateBuilder(args);

        builder.Services
            .AddApplication()
            .AddCallbacks()
            .AddInfrastructure(builder.Configuration)
            .AddEventLogWriter(builder.Configuration)
            .AddStateReplay()
            .AddRetention(builder.Configuration)
            .AddWebhookApi(builder.Configuration);

        var app = builder.Build();
        app.MapWebhookApi();
        app.Run();
        return 0;
    }
}
