using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>An <c>official_account_messages</c> row whose send has arrived (times in Unix ms, flags 0 or 1).</summary>
internal sealed record MessageRow(
    string MsgKey,
    long MsgTime,
    long OnlineOnly,
    string? MsgBodyJson,
    string? CloudCustomData,
    long Withdrawn,
    long? WithdrawTime)
{
    public OfficialAccountMessage ToDomain() => new(
        MsgKey,
        DateTimeOffset.FromUnixTimeMilliseconds(MsgTime),
        OnlineOnly == 1,
        MsgBodyJson,
        CloudCustomData,
        Withdrawn == 1,
        UnixMs.ToTime(WithdrawTime));
}
