namespace CleanChat.GrpcApi;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.Services
            .AddApplication()
            .AddQueries()
            .AddInfrastructure(builder.Configuration)
            .AddEventLogReaders()
            .AddGrpcApi(builder.Configuration);

        var app = builder.Build();
        app.MapGrpcApi();
        app.Run();
    }
}
