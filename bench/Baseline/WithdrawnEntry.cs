using System.Text.Json.Serialization;

namespace CleanChat.Baseline;

/// <summary>One entry of <c>WithdrawMsgList</c>.</summary>
public sealed record WithdrawnEntry([property: JsonPropertyName("MsgKey")] string? MsgKey);
