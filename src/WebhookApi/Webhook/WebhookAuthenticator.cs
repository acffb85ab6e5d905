using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CleanChat.WebhookApi.Webhook;

/// <summary>
/// Tencent's webhook authentication: with a token configured, a request carries <c>RequestTime</c> (Unix seconds)
/// and <c>Sign = hex(SHA-256(token + RequestTime))</c>. A Sign made with any configured token is accepted, so a
/// token can be rotated. Allocation-free: it runs on every request.
/// </summary>
public sealed partial class WebhookAuthenticator
{
    private const int Sha256Bytes = 32;

    // Unix seconds have at most 19 digits in an Int64.
    private const int MaxRequestTimeLength = 19;

    private readonly byte[][] _tokens;
    private readonly int _longestToken;
    private readonly long _maxSkewSeconds;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookAuthenticator> _logger;

    public WebhookAuthenticator(IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookAuthenticator> logger)
    {
        _tokens = options.Value.AllTokens().Select(Encoding.UTF8.GetBytes).ToArray();
        _longestToken = _tokens.Length == 0 ? 0 : _tokens.Max(t => t.Length);
        _maxSkewSeconds = options.Value.MaxClockSkewSeconds;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>False when no token is configured: every request is then accepted unauthenticated.</summary>
    public bool Enabled => _tokens.Length > 0;

    /// <summary>Checks the request's <c>RequestTime</c> and <c>Sign</c>; always <see cref="SignCheck.Valid"/> when not <see cref="Enabled"/>.</summary>
    public SignCheck Check(string? requestTime, string? sign)
    {
        if (!Enabled)
        {
            return SignCheck.Valid;
        }

        if (string.IsNullOrEmpty(requestTime) || string.IsNullOrEmpty(sign))
        {
            return SignCheck.Missing;
        }

        // Digits only: no sign, spaces or exponent, so the text hashed is the number checked.
        if (requestTime.Length > MaxRequestTimeLength
            || !long.TryParse(requestTime, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignCheck.Malformed;
        }

        // Accepts upper- and lower-case hex.
        Span<byte> presented = stackalloc byte[Sha256Bytes];
        if (sign.Length != Sha256Bytes * 2
            || Convert.FromHexString(sign, presented, out _, out var written) != OperationStatus.Done
            || written != Sha256Bytes)
        {
            return SignCheck.Malformed;
        }

        // seconds >= 0, so the difference cannot overflow.
        if (Math.Abs(_clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > _maxSkewSeconds)
        {
            return SignCheck.Stale;
        }

        Span<byte> message = stackalloc byte[_longestToken + MaxRequestTimeLength];
        Span<byte> expected = stackalloc byte[Sha256Bytes];
        var matched = false;
        foreach (var token in _tokens)
        {
            token.CopyTo(message);
            var length = token.Length + Encoding.ASCII.GetBytes(requestTime, message[token.Length..]);
            SHA256.HashData(message[..length], expected);
            // Every token is tried, and compared in constant time, so timing tells nothing about any of them.
            matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
        }

        return matched ? SignCheck.Valid : SignCheck.Mismatch;
    }

    /// <summary>The Sign Tencent sends for <paramref name="token"/> at <paramref name="requestTime"/>.</summary>
    public static string Sign(string token, string requestTime) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token + requestTime)));

    /// <summary>Says at start-up whether requests are authenticated; never the tokens themselves.</summary>
    public void LogConfiguration()
    {
        if (Enabled)
        {
            LogEnabled(_tokens.Length, _maxSkewSeconds);
        }
        else
        {
            LogDisabled();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook authentication is on: {TokenCount} token(s), RequestTime within {MaxClockSkewSeconds} s")]
    private partial void LogEnabled(int tokenCount, long maxClockSkewSeconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook requests are NOT authenticated: neither Webhook:Token nor Webhook:Tokens is set, so anyone who knows an SdkAppid can post events. Set the token from Tencent's console")]
    private partial void LogDisabled();
}
