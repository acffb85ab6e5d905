using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>An <c>official_accounts</c> row as both engines return it (times in Unix ms).</summary>
internal sealed record OfficialAccountRow(
    string SdkAppId,
    string OfficialAccount,
    long State,
    string? OwnerAccount,
    string? Name,
    long? CreateTime,
    long? DestroyTime,
    long LastEventTime,
    long LastEventSequence,
    string? Introduction,
    string? FaceUrl,
    string? Organization,
    long? FullTime,
    long SubscriberCount,
    long? LastMessageTime)
{
    public OfficialAccount ToDomain() => new(
        SdkAppId,
        OfficialAccount,
        (OfficialAccountState)State,
        OwnerAccount,
        Name,
        UnixMs.ToTime(CreateTime),
        UnixMs.ToTime(DestroyTime),
        DateTimeOffset.FromUnixTimeMilliseconds(LastEventTime),
        LastEventSequence,
        Introduction,
        FaceUrl,
        Organization,
        UnixMs.ToTime(FullTime),
        SubscriberCount,
        UnixMs.ToTime(LastMessageTime));

}
