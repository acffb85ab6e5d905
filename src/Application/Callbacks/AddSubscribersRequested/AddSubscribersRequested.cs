using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.AddSubscribersRequested;

/// <summary>
/// Body of <c>OfficialAccount.CallbackBeforeAddSubscriber</c> (60799): users are about to subscribe to the account (from a client, or an administrator's REST call), and Tencent waits for our answer. The answer may refuse some of them or the whole request.
/// </summary>
public sealed record AddSubscribersRequested(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("SubscribeAccountList")] IReadOnlyList<SubscribeAccountEntry?>? SubscribeAccountList,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
