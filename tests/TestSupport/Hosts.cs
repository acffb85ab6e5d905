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
        foreach (var (key, value) in Settings(database, settings, defaults))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// What a test host is given, in order, a later value winning: the test database, a spool file of its own, the
    /// host's <paramref name="defaults"/>, then the test's <paramref name="settings"/>.
    /// </summary>
    public static IEnumerable<(string Key, string? Value)> Settings(
        ITestDatabase database, IReadOnlyDictionary<string, string?>? settings, params (string Key, string Value)[] defaults) =>
    [
        ("Storage:Engine", database.Engine),
        ("ConnectionStrings:CleanChat", database.ConnectionString),
        ("Storage:Spool:Path", TestSpools.NewPath()),
        .. defaults.Select(d => (d.Key, (string?)d.Value)),
        .. (settings ?? new Dictionary<string, string?>()).Select(s => (s.Key, s.Value)),
    ];
}
