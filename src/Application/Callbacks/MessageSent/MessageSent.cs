using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.MessageSent;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterSendMsg</c> (60804): the account's message was delivered to its
/// subscribers. <c>MsgKey</c> identifies it (it is what a recall names); <c>MsgTime</c> is read as
/// <see cref="Domain.OfficialAccounts.MessageTimes"/> says.
/// </summary>
public sealed record MessageSent(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("MsgKey")] string? MsgKey,
    [property: JsonPropertyName("MsgTime")] long? MsgTime,
    [property: JsonPropertyName("OnlineOnlyFlag")] long? OnlineOnlyFlag,
    [property: JsonPropertyName("MsgBody")] JsonElement? MsgBody,
    [property: JsonPropertyName("CloudCustomData")] string? CloudCustomData,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
