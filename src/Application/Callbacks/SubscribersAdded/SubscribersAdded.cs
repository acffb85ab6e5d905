using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks.SubscribersAdded;

/// <summary>
/// Body of <c>OfficialAccount.CallbackAfterAddSubscriber</c> (60800): users subscribed to the account.
/// </summary>
public sealed record SubscribersAdded(
    [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
    [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
    [property: JsonPropertyName("Operator_Account")] string? OperatorAccount,
    [property: JsonPropertyName("SubscribeAccountList")] IReadOnlyList<SubscribeAccountEntry?>? SubscribeAccountList,
    [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
