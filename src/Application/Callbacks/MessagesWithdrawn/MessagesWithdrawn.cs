using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.MessagesWithdrawn;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterMsgWithDraw</c> (60805): messages of the account were recalled, from a
/// client or by an administrator (the REST API calls it "recall"; note the capital D in the command).
/// </summary>
public sealed record MessagesWithdrawn(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("WithdrawMsgList")] IReadOnlyList<WithdrawnMessageEntry?>? WithdrawMsgList,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
