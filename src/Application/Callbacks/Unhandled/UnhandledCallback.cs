using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.Unhandled;

/// <summary>
/// Body of any callback we have no typed handler for. Only the fields most callbacks share are read, each in
/// any form <see cref="CallbackJson"/> takes and otherwise left empty, never refused; the raw body is kept whole
/// in the log. A body with no <c>CallbackCommand</c> (<c>ContentCallback.ResultNotify</c>, the <c>Push.*</c>
/// <c>{"Events":[…]}</c> batches) is taken under the query's.
/// </summary>
public sealed record UnhandledCallback(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] JsonElement? OfficialAccount,
    [property: JsonPropertyName("Owner_Account")] JsonElement? OwnerAccount,
    [property: JsonPropertyName("Operator_Account")] JsonElement? OperatorAccount,
    [property: JsonPropertyName("EventTime")] JsonElement? EventTime) : ICallbackBody;
