using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.Unhandled;

/// <summary>
/// Body of any callback we have no typed handler for. Only the fields most callbacks share are read,
/// and only when they have the type Tencent documents; the raw body is kept whole in the log.
/// </summary>
public sealed record UnhandledCallback(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] JsonElement? OfficialAccount,
    [property: JsonPropertyName("Owner_Account")] JsonElement? OwnerAccount,
    [property: JsonPropertyName("Operator_Account")] JsonElement? OperatorAccount,
    [property: JsonPropertyName("EventTime")] JsonElement? EventTime) : ICallbackBody;
