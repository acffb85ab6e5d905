using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.CreateOfficialAccountRequested;

/// <summary>
/// Body of <c>OfficialAccount.CallbackBeforeCreateOfficialAccount</c> (60795): an administrator asked to create an
/// official account, and Tencent waits for our answer before creating it. The account has no ID yet.
/// </summary>
public sealed record CreateOfficialAccountRequested(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("Owner_Account")] string? OwnerAccount,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
