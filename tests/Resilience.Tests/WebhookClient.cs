using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Webhook;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// Posts callbacks to one webhook node as Tencent does; signed with
/// <paramref name="token"/> (<c>RequestTime</c> now, and its <c>Sign</c>) when the host has webhook authentication on.
/// An answer slower than <paramref name="timeout"/> (10 s unless given; Tencent waits 2 s) counts as none.
/// </summary>
public sealed class WebhookClient(Uri address, string? token = null, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = address,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    /// <summary>The sample's destroyed callback for <paramref name="officialAccount"/>; see the other overload.</summary>
    public Task<Answer> PostAsync(string officialAccount) =>
        PostAsync(TencentCallback.Destroyed(officialAccount, TencentSample.EventTime));

    /// <summary>The answer, or an <see cref="HttpRequestException"/> when there was none.</summary>
    public async Task<Answer> PostAsync(TencentCallback callback)
    {
        using var content = new StringContent(callback.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var query = TencentSample.QueryFor(callback.Command) + Signature();
        using var response = await _http.PostAsync(new Uri("/webhook" + query, UriKind.Relative), content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return new Answer(
            response.StatusCode,
            body.GetProperty("ActionStatus").GetString(),
            body.GetProperty("ErrorCode").GetInt32(),
            body.GetProperty("ErrorInfo").GetString());
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary><c>/readyz</c>: its status and what its body says (which way the node takes callbacks).</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetReadinessAsync()
    {
        using var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();

    private string Signature()
    {
        if (token is null)
        {
            return "";
        }

        var requestTime = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"&RequestTime={requestTime}&Sign={WebhookAuthenticator.Sign(token, requestTime)}";
    }

    public sealed record Answer(HttpStatusCode Status, string? ActionStatus, int ErrorCode, string? ErrorInfo)
    {
        public bool IsOk => Status == HttpStatusCode.OK && ActionStatus == "OK" && ErrorCode == 0;
        public bool IsStorageFailure => Status == HttpStatusCode.InternalServerError && ActionStatus == "FAIL" && ErrorCode == 50000;

        public override string ToString() => $"{(int)Status} {ActionStatus} {ErrorCode} '{ErrorInfo}'";
    }
}
