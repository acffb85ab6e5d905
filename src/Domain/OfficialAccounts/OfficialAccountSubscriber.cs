namespace CleanChat.Domain.OfficialAccounts;

/// <summary>A user who follows an official account now.</summary>
/// <param name="SubscribeTime">EventTime of the subscribe in effect (the newest one, if Tencent reported several).</param>
public sealed record OfficialAccountSubscriber(string SubscriberAccount, DateTimeOffset SubscribeTime);
