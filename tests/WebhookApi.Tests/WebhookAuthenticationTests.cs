using System.Net;
using System.Text.Json;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Webhook;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CleanChat.WebhookApi.Tests;

public sealed class WebhookAuthenticationTests
{
    private const string DocumentedToken = "xxxxyyyy";
    private const string DocumentedRequestTime = "1669872112";
    private const string DocumentedSign = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

    private static WebhookAuthenticator Authenticator(long nowSeconds, params string[] tokens) => new(
        Options.Create(new WebhookOptions { Tokens = tokens }),
        new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(nowSeconds)),
        NullLogger<WebhookAuthenticator>.Instance);

    private static async Task<int> ErrorCodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ErrorCode").GetInt32();

    [Fact]
    public void Signs_the_documented_test_vector() =>
        Assert.Equal(DocumentedSign, WebhookAuthenticator.Sign(DocumentedToken, DocumentedRequestTime));

    [Theory]
    [InlineData(DocumentedSign)]
    [InlineData("17773BC39A671D7B9AA835458704D2A6DB81360A5940292B587D6D760D484061")]
    public void Accepts_the_documented_test_vector_in_either_case(string sign) =>
        Assert.Equal(SignCheck.Valid, Authenticator(1669872112, DocumentedToken).Check(DocumentedRequestTime, sign));

    [Fact]
    public void Accepts_a_sign_made_with_any_configured_token() =>
        Assert.Equal(SignCheck.Valid, Authenticator(1669872112, "new-token", DocumentedToken).Check(DocumentedRequestTime, DocumentedSign));

    [Theory]
    [InlineData(1669872112 + 60, SignCheck.Valid)]
    [InlineData(1669872112 - 60, SignCheck.Valid)]
    [InlineData(1669872112 + 61, SignCheck.Stale)]
    [InlineData(1669872112 - 61, SignCheck.Stale)]
    public void Allows_sixty_seconds_of_clock_skew_either_way(long now, SignCheck expected) =>
        Assert.Equal(expected, Authenticator(now, DocumentedToken).Check(DocumentedRequestTime, DocumentedSign));

    [Theory]
    [InlineData(null, DocumentedSign, SignCheck.Missing)]
    [InlineData(DocumentedRequestTime, null, SignCheck.Missing)]
    [InlineData("", DocumentedSign, SignCheck.Missing)]
    [InlineData("+1669872112", DocumentedSign, SignCheck.Malformed)]
    [InlineData("1669872112.0", DocumentedSign, SignCheck.Malformed)]
    [InlineData("99999999999999999999", DocumentedSign, SignCheck.Malformed)]
    [InlineData(DocumentedRequestTime, "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d48406", SignCheck.Malformed)]
    [InlineData(DocumentedRequestTime, "z7773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", SignCheck.Malformed)]
    [InlineData(DocumentedRequestTime, "07773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061", SignCheck.Mismatch)]
    public void Refuses_a_missing_malformed_or_wrong_sign(string? requestTime, string? sign, SignCheck expected) =>
        Assert.Equal(expected, Authenticator(1669872112, DocumentedToken).Check(requestTime, sign));

    [Fact]
    public void Accepts_everything_when_no_token_is_configured() =>
        Assert.Equal(SignCheck.Valid, Authenticator(1669872112).Check(null, null));

    [Fact]
    public async Task Stores_a_request_with_a_valid_sign()
    {
        using var host = new AuthenticatedHost();

        var response = await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query), TencentSample.Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, host.Database.CountEvents());
    }

    [Fact]
    public async Task Rejects_request_when_sign_is_stale()
    {
        using var host = new AuthenticatedHost();

        var response = await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query, AuthenticatedHost.Now - 61), TencentSample.Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(40100, await ErrorCodeOf(response));
        Assert.Equal(0, host.Database.CountEvents());
    }

    [Fact]
    public async Task Rejects_request_when_sign_is_wrong()
    {
        using var host = new AuthenticatedHost();

        var response = await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query, token: "guessed"), TencentSample.Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(40100, await ErrorCodeOf(response));
        Assert.Equal(0, host.Database.CountEvents());
    }

    [Fact]
    public async Task Accepts_a_replayed_sign_only_while_its_request_time_is_fresh()
    {
        using var host = new AuthenticatedHost();
        var query = AuthenticatedHost.WithSign(TencentSample.Query);

        var fresh = await host.PostAsync(query, TencentSample.DestroyedBody("@TOA#_replay", 1));
        host.Clock.Advance(TimeSpan.FromSeconds(61));
        var replayed = await host.PostAsync(query, TencentSample.DestroyedBody("@TOA#_replay", 2));

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(1, host.Database.CountEvents());
    }

    [Fact]
    public async Task Accepts_the_old_and_the_new_token_while_rotating()
    {
        using var host = new AuthenticatedHost();

        var old = await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query), TencentSample.DestroyedBody("@TOA#_rotate", 1));
        var rotated = await host.PostAsync(
            AuthenticatedHost.WithSign(TencentSample.Query, token: AuthenticatedHost.RotatedToken), TencentSample.DestroyedBody("@TOA#_rotate", 2));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (old.StatusCode, rotated.StatusCode));
        Assert.Equal(2, host.Database.CountEvents());
    }

    [Fact]
    public async Task Never_writes_the_token_or_a_sign_to_the_log_even_at_trace_level()
    {
        using var host = AuthenticatedHost.With(new Dictionary<string, string?>
        {
            ["Webhook:Token"] = AuthenticatedHost.Token,
            ["Webhook:Tokens:0"] = AuthenticatedHost.RotatedToken,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        var signed = AuthenticatedHost.WithSign(TencentSample.Query);
        var sign = signed[(signed.IndexOf("Sign=", StringComparison.Ordinal) + "Sign=".Length)..];

        await host.PostAsync(signed, TencentSample.Body);
        await host.PostAsync(signed, "not json");
        await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query, AuthenticatedHost.Now - 600), TencentSample.Body);
        await host.PostAsync(TencentSample.Query + "&RequestTime=1&Sign=" + AuthenticatedHost.Token, TencentSample.Body);

        var everything = string.Join("\n", host.Logs.Entries.Select(e => e.Message + " " + string.Join(" ", e.Values.Values)));
        Assert.Contains("Webhook " + TencentSample.Command, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthenticatedHost.Token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthenticatedHost.RotatedToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(sign, everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Logs_one_structured_line_per_request_with_command_app_outcome_and_latency()
    {
        using var host = new AuthenticatedHost();

        await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query), TencentSample.Body);
        await host.PostAsync(AuthenticatedHost.WithSign(TencentSample.Query), TencentSample.Body);
        await host.PostAsync(TencentSample.Query, TencentSample.Body);

        var lines = host.Logs.Entries.Where(e => e.Category == typeof(WebhookEndpoint).FullName && e.Level == LogLevel.Information).ToArray();
        Assert.Equal(["Stored", "Duplicate", "Refused"], lines.Select(l => l.Values["Outcome"]?.ToString()));
        Assert.All(lines, line =>
        {
            Assert.Equal(TencentSample.Command, line.Values["CallbackCommand"]);
            Assert.Equal(TencentSample.SdkAppId, line.Values["SdkAppId"]);
            Assert.IsType<double>(line.Values["ElapsedMs"]);
        });
        Assert.Equal([0, 0, 40100], lines.Select(l => (int)l.Values["ErrorCode"]!));
    }

    [Fact]
    public void Warns_at_start_up_when_no_token_is_configured()
    {
        using var host = AuthenticatedHost.With(new Dictionary<string, string?>());

        var line = Assert.Single(host.Logs.Entries, e => e.Category == typeof(WebhookAuthenticator).FullName);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("requests are NOT authenticated", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_at_start_up_how_many_tokens_are_configured_and_does_not_warn()
    {
        using var host = new AuthenticatedHost();

        var line = Assert.Single(host.Logs.Entries, e => e.Category == typeof(WebhookAuthenticator).FullName);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(2, line.Values["TokenCount"]);
    }

    [Theory]
    [InlineData("Webhook:Tokens:0", " ", "Webhook:Tokens")]
    [InlineData("Webhook:Token", " ", "Webhook:Token")]
    [InlineData("Webhook:MaxClockSkewSeconds", "0", "Webhook:MaxClockSkewSeconds")]
    public void Stops_at_start_up_on_a_bad_setting_and_names_its_key(string key, string value, string named)
    {
        var failure = Assert.ThrowsAny<Exception>(() => AuthenticatedHost.With(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }
}
