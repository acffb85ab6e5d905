using System.Text.Json.Serialization;

namespace CleanChat.Baseline;

/// <summary>The same fields CleanChat binds for the destroyed-account callback.</summary>
public sealed record DestroyedBody(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Owner_Account")] string? OwnerAccount,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("EventTime")] long? EventTime);
