namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// Users subscribed to the account (<see cref="Subscribed"/> true) or unsubscribed from it. Per subscriber, the
/// newest event decides; at the same time an unsubscribe wins. An unsubscribed user is remembered, so an older
/// subscribe arriving late cannot bring them back.
/// </summary>
public sealed record SubscriberChange(
    string SdkAppId,
    string OfficialAccount,
    DateTimeOffset EventTime,
    IReadOnlyList<string> SubscriberAccounts,
    bool Subscribed) : StateChange(SdkAppId, OfficialAccount, EventTime);
