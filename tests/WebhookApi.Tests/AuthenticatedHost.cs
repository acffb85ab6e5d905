using System.Globalization;
using System.Text;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Webhook;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace CleanChat.WebhookApi.Tests;

/// <summary>
/// The webhook host with authentication on, a fixed clock, and every log line captured, on its own SQLite file.
/// </summary>
public sealed class AuthenticatedHost : IDisposable
{
    public const string Token = "hostile-suite-token";
    public const string RotatedToken = "the-next-token";
    public const long Now = 1_700_000_000;

    private readonly WebhookApiFactory _factory;
    private readonly WebApplicationFactory<Program> _host;
    private readonly HttpClient _client;

    public AuthenticatedHost() : this(new Dictionary<string, string?>
    {
        ["Webhook:Token"] = Token,
        ["Webhook:Tokens:0"] = RotatedToken,
    })
    {
    }

    private AuthenticatedHost(IReadOnlyDictionary<string, string?> settings)
    {
        // Normal: each test request still commits, without an fsync the tests do not need.
        var all = new Dictionary<string, string?>(settings) { ["Storage:Synchronous"] = "Normal" };
        _factory = new WebhookApiFactory(Database, all);
        _host = _factory.WithWebHostBuilder(builder =>
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        });
        _client = _host.CreateClient();
    }

    /// <summary>A host with exactly these settings (no token unless they set one).</summary>
    public static AuthenticatedHost With(IReadOnlyDictionary<string, string?> settings) => new(settings);

    public TemporaryDatabase Database { get; } = new();

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(Now));

    public CapturedLogs Logs { get; } = new();

    public IServiceProvider Services => _host.Services;

    /// <summary>Appends <c>RequestTime</c> and the <c>Sign</c> Tencent would compute for it.</summary>
    public static string WithSign(string query, long requestTime = Now, string token = Token)
    {
        var time = requestTime.ToString(CultureInfo.InvariantCulture);
        return $"{query}&RequestTime={time}&Sign={WebhookAuthenticator.Sign(token, time)}";
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _client.SendAsync(request);

    public async Task<HttpResponseMessage> PostAsync(string query, string body, string? contentType = "application/json")
    {
        using var request = Post(query, Encoding.UTF8.GetBytes(body), contentType);
        return await SendAsync(request);
    }

    public static HttpRequestMessage Post(string query, byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            // Unvalidated, so a malformed header reaches the host as sent.
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, new Uri(WebhookEndpoint.Path + query, UriKind.Relative)) { Content = content };
    }

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
        _factory.Dispose();
        Database.Dispose();
    }
}
