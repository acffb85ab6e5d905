namespace CleanChat.Domain.OfficialAccounts;

/// <summary>A message an official account sent, as its <c>AfterSendMsg</c> callback described it.</summary>
/// <param name="MsgBodyJson">The <c>MsgBody</c> array as Tencent sent it; null when the callback had none.</param>
/// <param name="WithdrawTime">EventTime of the newest withdraw, while <paramref name="Withdrawn"/>.</param>
public sealed record OfficialAccountMessage(
    string MsgKey,
    DateTimeOffset MsgTime,
    bool OnlineOnly,
    string? MsgBodyJson,
    string? CloudCustomData,
    bool Withdrawn,
    DateTimeOffset? WithdrawTime);
