using CleanChat.Domain.OfficialAccounts;

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
        Time(CreateTime),
        Time(DestroyTime),
        DateTimeOffset.FromUnixTimeMilliseconds(LastEventTime),
        LastEventSequence,
        Introduction,
        FaceUrl,
        Organization,
        Time(FullTime),
        SubscriberCount,
        Time(LastMessageTime));

    internal static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
