using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>Posts destroyed-account callbacks as Tencent does, one distinct account per event.</summary>
public sealed class WebhookClient(Uri address) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The answer, or an <see cref="HttpRequestException"/> when there was none.</summary>
    public async Task<Answer> PostAsync(string officialAccount)
    {
        using var content = new StringContent(TencentSample.DestroyedBody(officialAccount, TencentSample.EventTime));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri("/webhook" + TencentSample.Query, UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        var code = JsonDocument.Parse(body).RootElement.GetProperty("ErrorCode").GetInt32();
        return new Answer(response.StatusCode, code);
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    public sealed record Answer(HttpStatusCode Status, int ErrorCode)
    {
        public bool IsOk => Status == HttpStatusCode.OK && ErrorCode == 0;
        public bool IsStorageFailure => Status == HttpStatusCode.InternalServerError && ErrorCode == 50000;
    }
}
