using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.WebhookApi.Webhook;

/// <summary>The answer body Tencent expects from a webhook: <c>{"ActionStatus","ErrorInfo","ErrorCode"}</c>.</summary>
public sealed record TencentAnswer(
    [property: JsonPropertyName("ActionStatus")] string ActionStatus,
    [property: JsonPropertyName("ErrorInfo")] string ErrorInfo,
    [property: JsonPropertyName("ErrorCode")] int ErrorCode)
{
    /// <summary>The OK answer, serialised once: it is the hot path's only output.</summary>
    public static readonly byte[] OkUtf8 = JsonSerializer.SerializeToUtf8Bytes(new TencentAnswer("OK", string.Empty, 0));

    public static TencentAnswer Fail(WebhookErrorCode code, string info) => new("FAIL", info, (int)code);
}
