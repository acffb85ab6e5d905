namespace CleanChat.WebhookApi.Webhook;

public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>Below Kestrel's own 30 MB request limit, so the webhook's limit is the one that answers.</summary>
    public const int MaxBodyBytesLimit = 16 * 1024 * 1024;

    /// <summary>Longest token accepted; Tencent's console tokens are short. Bounds the stack buffer that signs.</summary>
    public const int MaxTokenLength = 256;

    /// <summary>The SDKAppIDs this deployment serves. A request for any other app is refused with 403.</summary>
    public string[] SdkAppIds { get; set; } = [];

    /// <summary>Largest body accepted; Tencent's callbacks are a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The webhook authentication token set in Tencent's console. Empty: requests are not authenticated.</summary>
    public string? Token { get; set; }

    /// <summary>More tokens, each accepted, so a token can be rotated without refusing traffic.</summary>
    public string[] Tokens { get; set; } = [];

    /// <summary>How far <c>RequestTime</c> may be from our clock, either way; Tencent's TRTC webhook uses one minute.</summary>
    public int MaxClockSkewSeconds { get; set; } = 60;

    /// <summary><see cref="Token"/> (when set) and <see cref="Tokens"/>, without repeats.</summary>
    public IReadOnlyList<string> AllTokens() =>
        (string.IsNullOrEmpty(Token) ? Tokens : [Token, .. Tokens]).Distinct(StringComparer.Ordinal).ToArray();
}
