using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Baseline;

/// <summary>
/// The fields CleanChat reads from a callback it records raw (message, state, group and the rest): the ones most
/// callbacks share, each in whatever form it comes; nothing is required.
/// </summary>
public sealed record UnhandledBody(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] JsonElement? OfficialAccount,
    [property: JsonPropertyName("Owner_Account")] JsonElement? OwnerAccount,
    [property: JsonPropertyName("Operator_Account")] JsonElement? OperatorAccount,
    [property: JsonPropertyName("EventTime")] JsonElement? EventTime);
