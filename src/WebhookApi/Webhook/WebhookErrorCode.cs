namespace CleanChat.WebhookApi.Webhook;

/// <summary>
/// The <c>ErrorCode</c> of every answer. Tencent ignores codes for "after" callbacks; for "before"
/// callbacks a non-zero code refuses the action. docs/webhook.md lists them with their HTTP statuses.
/// </summary>
public enum WebhookErrorCode
{
    Ok = 0,
    MalformedRequest = 40000,
    InvalidField = 40001,
    Unauthenticated = 40100,
    UnknownApp = 40300,
    MethodNotAllowed = 40500,
    BodyTooLarge = 41300,
    UnsupportedContentType = 41500,
    StorageFailure = 50000,
}
