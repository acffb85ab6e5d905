using System.Text.Json;
using System.Text.Json.Serialization;
using CleanChat.Application.Callbacks;

namespace CleanChat.WebhookApi.Webhook;

/// <summary>
/// The answer body Tencent expects from a webhook: <c>{"ActionStatus","ErrorInfo","ErrorCode"}</c>, and for
/// <c>CallbackBeforeAddSubscriber</c> optionally the users it refuses.
/// </summary>
public sealed record TencentAnswer(
    [property: JsonPropertyName("ActionStatus")] string ActionStatus,
    [property: JsonPropertyName("ErrorInfo")] string ErrorInfo,
    [property: JsonPropertyName("ErrorCode")] int ErrorCode)
{
    /// <summary>The users a "before add subscriber" answer keeps out (60799); absent from every other answer.</summary>
    [JsonPropertyName("RefusedSubscribers_Account")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? RefusedSubscribers { get; init; }

    /// <summary>The OK answer, serialised once: it is the hot path's only output.</summary>
    public static readonly byte[] OkUtf8 = JsonSerializer.SerializeToUtf8Bytes(new TencentAnswer("OK", string.Empty, 0));

    public static TencentAnswer Fail(WebhookErrorCode code, string info) => new("FAIL", info, (int)code);

    /// <summary>
    /// A recorded delivery's answer: OK, with the decision's code for a "before" callback. Tencent's samples send
    /// <c>ActionStatus</c> OK even to refuse; the code alone decides (60795, 60799, 60803).
    /// </summary>
    public static TencentAnswer Recorded(CallbackAnswer answer) =>
        new("OK", answer.ErrorInfo, answer.ErrorCode) { RefusedSubscribers = answer.RefusedSubscribers };
}
