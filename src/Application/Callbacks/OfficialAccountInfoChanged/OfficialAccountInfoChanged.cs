using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.OfficialAccountInfoChanged;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterOfficialAccountInfoChanged</c> (60797): an administrator changed the
/// account's profile. Tencent does not say whether it sends every field or only the changed ones, so a field that is
/// absent is taken as unchanged.
/// </summary>
public sealed record OfficialAccountInfoChanged(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("Introduction")] string? Introduction,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("FaceUrl")] string? FaceUrl,
    [property: JsonPropertyName("Organization")] string? Organization,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
