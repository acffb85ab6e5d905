namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// The account's messages <see cref="MsgKeys"/> were withdrawn at <see cref="StateChange.EventTime"/>. A withdrawn
/// message stays withdrawn, whatever arrives later, and its withdraw time is the newest withdraw's. A withdraw that
/// arrives before its message is kept and holds once the message arrives.
/// </summary>
public sealed record WithdrawalChange(
    string SdkAppId,
    string OfficialAccount,
    DateTimeOffset EventTime,
    IReadOnlyList<string> MsgKeys) : StateChange(SdkAppId, OfficialAccount, EventTime);
