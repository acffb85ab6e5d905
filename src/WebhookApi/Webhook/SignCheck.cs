namespace CleanChat.WebhookApi.Webhook;

/// <summary>What <see cref="WebhookAuthenticator"/> found; anything but <see cref="Valid"/> is answered 401.</summary>
public enum SignCheck
{
    Valid = 0,
    Missing,
    Malformed,
    Stale,
    Mismatch,
}
