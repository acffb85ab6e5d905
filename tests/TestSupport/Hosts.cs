using System.Net.Http.Headers;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CleanChat.TestSupport;

/// <summary>The webhook host, in memory over real HTTP handling, on a test database of either engine.</summary>
public sealed class WebhookApiFactory(ITestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<WebhookApi.Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => Hosts.Configure(builder, database, settings, ("Webhook:SdkAppIds:0", TencentSample.SdkAppId));

    /// <summary>POSTs a callback body as Tencent does.</summary>
    public async Task<HttpResponseMessage> PostAsync(string query, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await CreateClient().PostAsync(new Uri("/webhook" + query, UriKind.Relative), content);
    }
}

/// <summary>The gRPC host, in memory, on a test database of either engine.</summary>
public sealed class GrpcApiFactory(ITestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<GrpcApi.Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => Hosts.Configure(builder, database, settings);

    /// <summary>A real gRPC channel whose HTTP/2 calls go to this host's handler.</summary>
    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });
}

internal static class Hosts
{
    public static void Configure(
        IWebHostBuilder builder, ITestDatabase database, IReadOnlyDictionary<string, string?>? settings, params (string Key, string Value)[] defaults)
    {
        builder.UseEnvironment("Testing");
        // As in Development: every registered service must be constructible, so a handler whose dependency only
        // one host registers fails here and not on a developer's first run.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = true;
            o.ValidateScopes = true;
        });
        builder.UseSetting("Storage:Engine", database.Engine);
        builder.UseSetting("ConnectionStrings:CleanChat", database.ConnectionString);
        builder.UseSetting("Storage:Spool:Path", TestSpools.NewPath());
        foreach (var (key, value) in defaults)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
