namespace CleanChat.WebhookApi;

public sealed class Program
{
    public static void Main(string[] args)
    {
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
    }
}
