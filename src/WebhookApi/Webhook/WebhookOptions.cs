namespace CleanChat.WebhookApi.Webhook;

public sealed class WebhookOptions
{
    public const string Section = "Webhook";

    /// <summary>The SDKAppIDs this deployment serves. A request for any other app is refused with 403.</summary>
    public string[] SdkAppIds { get; set; } = [];

    /// <summary>Largest body accepted; Tencent's callbacks are a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;
}
