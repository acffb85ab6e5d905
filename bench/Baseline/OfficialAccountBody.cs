using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Baseline;

/// <summary>
/// The fields CleanChat binds for the other ten official-account callbacks, in one record: the baseline parses each
/// body into the fields its callback has, as CleanChat does, without a type per callback.
/// </summary>
public sealed record OfficialAccountBody(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Owner_Account")] string? OwnerAccount,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("Name")] string? Name,
    [property: JsonPropertyName("Introduction")] string? Introduction,
    [property: JsonPropertyName("FaceUrl")] string? FaceUrl,
    [property: JsonPropertyName("Organization")] string? Organization,
    [property: JsonPropertyName("SubscribeAccountList")] IReadOnlyList<SubscriberEntry?>? SubscribeAccountList,
    [property: JsonPropertyName("WithdrawMsgList")] IReadOnlyList<WithdrawnEntry?>? WithdrawMsgList,
    [property: JsonPropertyName("MsgKey")] string? MsgKey,
    [property: JsonPropertyName("MsgTime")] long? MsgTime,
    [property: JsonPropertyName("OnlineOnlyFlag")] long? OnlineOnlyFlag,
    [property: JsonPropertyName("MsgBody")] JsonElement? MsgBody,
    [property: JsonPropertyName("CloudCustomData")] string? CloudCustomData,
    [property: JsonPropertyName("EventTime")] long? EventTime)
{
    /// <summary>The fields CleanChat requires for the command, besides EventTime (docs/webhook.md).</summary>
    public bool HasRequiredFields(string command) => EventTime > 0 && command switch
    {
        "OfficialAccount.CallbackBeforeCreateOfficialAccount" => OwnerAccount is not null && Name is not null,
        "OfficialAccount.CallbackAfterCreateOfficialAccount" => OfficialAccount is { Length: > 0 } && OwnerAccount is not null && Name is not null,
        "OfficialAccount.CallbackBeforeAddSubscriber" or "OfficialAccount.CallbackAfterAddSubscriber"
            or "OfficialAccount.CallbackAfterDeleteSubscriber" => OfficialAccount is { Length: > 0 } && SubscribeAccountList is not null,
        "OfficialAccount.CallbackAfterSendMsg" => OfficialAccount is { Length: > 0 } && MsgKey is { Length: > 0 } && MsgTime is not null,
        "OfficialAccount.CallbackAfterMsgWithDraw" => OfficialAccount is { Length: > 0 } && WithdrawMsgList is not null,
        _ => OfficialAccount is { Length: > 0 },
    };
}
