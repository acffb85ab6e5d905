using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>An <c>official_account_subscribers</c> row of a current subscriber (times in Unix ms).</summary>
internal sealed record SubscriberRow(string SubscriberAccount, long SubscribeTime)
{
    public OfficialAccountSubscriber ToDomain() => new(SubscriberAccount, DateTimeOffset.FromUnixTimeMilliseconds(SubscribeTime));
}
