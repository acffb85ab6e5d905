using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.OfficialAccountFull;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterOfficialAccountFull</c> (60801): the account's subscriber count reached its
/// limit (<c>MaxSubscriberNum</c>, 100000 unless changed).
/// </summary>
public sealed record OfficialAccountFull(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
