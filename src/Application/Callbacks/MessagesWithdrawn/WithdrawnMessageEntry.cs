using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.MessagesWithdrawn;

/// <summary>One entry of <c>WithdrawMsgList</c>.</summary>
public sealed record WithdrawnMessageEntry([property: JsonPropertyName("MsgKey")] string? MsgKey);
