using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.SubscribersDeleted;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterDeleteSubscriber</c> (60802): users unsubscribed from the account, or an administrator removed them. Tencent keeps the list's name, <c>SubscribeAccountList</c>.
/// </summary>
public sealed record SubscribersDeleted(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("SubscribeAccountList")] IReadOnlyList<SubscribeAccountEntry?>? SubscribeAccountList,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
