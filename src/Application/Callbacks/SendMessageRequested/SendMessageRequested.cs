using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.SendMessageRequested;

/// <summary>
/// Body of <c>OfficialAccount.CallbackBeforeSendMsg</c> (60803): the account is about to send a message, and
/// Tencent waits for our answer. The message has no <c>MsgKey</c> or <c>MsgTime</c> yet.
/// </summary>
public sealed record SendMessageRequested(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("OnlineOnlyFlag")] long? OnlineOnlyFlag,
    [property: JsonPropertyName("MsgBody")] JsonElement? MsgBody,
    [property: JsonPropertyName("CloudCustomData")] string? CloudCustomData,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
