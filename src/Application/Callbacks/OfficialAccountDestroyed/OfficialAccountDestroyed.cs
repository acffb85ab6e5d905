using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.OfficialAccountDestroyed;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterOfficialAccountDestroyed</c>: an app administrator destroyed
/// an official account through the REST API. Every field is nullable so the validator, not the parser,
/// names what is missing.
/// </summary>
public sealed record OfficialAccountDestroyed(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Owner_Account")] string? OwnerAccount,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
