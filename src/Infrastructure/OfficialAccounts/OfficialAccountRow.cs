using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>An <c>official_accounts</c> row as SQLite returns it (times in Unix ms).</summary>
internal sealed record OfficialAccountRow(
    string SdkAppId,
    string OfficialAccount,
    long State,
    string? OwnerAccount,
    string? Name,
    long? CreateTime,
    long? DestroyTime,
    long LastEventTime,
    long LastEventSequence)
{
    public OfficialAccount ToDomain() => new(
        SdkAppId,
        OfficialAccount,
        (OfficialAccountState)State,
        OwnerAccount,
        Name,
        CreateTime is { } created ? DateTimeOffset.FromUnixTimeMilliseconds(created) : null,
        DestroyTime is { } destroyed ? DateTimeOffset.FromUnixTimeMilliseconds(destroyed) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(LastEventTime),
        LastEventSequence);
}
