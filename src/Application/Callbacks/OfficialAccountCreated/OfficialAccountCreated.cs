using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.OfficialAccountCreated;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterCreateOfficialAccount</c>: an official account was created.
/// Every field is nullable so the validator, not the parser, names what is missing.
/// </summary>
public sealed record OfficialAccountCreated(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("Owner_Account")] string? OwnerAccount,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
