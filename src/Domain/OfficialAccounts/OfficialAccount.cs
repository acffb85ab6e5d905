namespace CleanChat.Domain.OfficialAccounts;

/// <summary>What we know of one official account, folded from the callbacks that named it.</summary>
/// <param name="State">Unspecified while no create or destroy for it has arrived (only subscribers or messages have).</param>
/// <param name="DestroyTime">Set while the account is destroyed.</param>
/// <param name="LastEventTime">EventTime of the newest event about the account (any callback that changes its state).</param>
/// <param name="LastEventSequence">That event's sequence in the log.</param>
/// <param name="FullTime">When Tencent last reported the account full.</param>
/// <param name="SubscriberCount">How many users follow it now.</param>
/// <param name="LastMessageTime">MsgTime of the newest message it sent.</param>
public sealed record OfficialAccount(
    string SdkAppId,
    string OfficialAccountId,
    OfficialAccountState State,
    string? OwnerAccount,
    string? Name,
    DateTimeOffset? CreateTime,
    DateTimeOffset? DestroyTime,
    DateTimeOffset LastEventTime,
    long LastEventSequence,
    string? Introduction = null,
    string? FaceUrl = null,
    string? Organization = null,
    DateTimeOffset? FullTime = null,
    long SubscriberCount = 0,
    DateTimeOffset? LastMessageTime = null);
