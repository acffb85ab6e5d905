namespace CleanChat.Domain.OfficialAccounts;

/// <summary>What we know of one official account, folded from the callbacks that named it.</summary>
public sealed record OfficialAccount(
    string SdkAppId,
    string OfficialAccountId,
    OfficialAccountState State,
    string? OwnerAccount,
    string? Name,
    DateTimeOffset? CreateTime,
    DateTimeOffset? DestroyTime,
    DateTimeOffset LastEventTime,
    long LastEventSequence);
