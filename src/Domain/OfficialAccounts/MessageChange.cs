namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// The account sent the message <see cref="MsgKey"/>. Its content comes from the newest send event for that key
/// (at the same time, the greater content by code point); whether it was withdrawn is kept apart, so a withdraw
/// that arrived first still holds.
/// </summary>
/// <param name="MsgTime">Tencent's <c>MsgTime</c>, read as <see cref="MessageTimes"/> says.</param>
/// <param name="MsgBodyJson">The <c>MsgBody</c> array as Tencent sent it, or null when the body had none.</param>
public sealed record MessageChange(
    string SdkAppId,
    string OfficialAccount,
    DateTimeOffset EventTime,
    string MsgKey,
    DateTimeOffset MsgTime,
    bool OnlineOnly,
    string? MsgBodyJson,
    string? CloudCustomData) : StateChange(SdkAppId, OfficialAccount, EventTime);
