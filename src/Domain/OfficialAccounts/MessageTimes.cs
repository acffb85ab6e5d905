namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// Tencent does not say what unit <c>MsgTime</c> is in (60804). Its sample and the time inside <c>MsgKey</c> are Unix
/// seconds, so that is the reading; a 13-digit value, which would be tens of thousands of years away in seconds, is
/// read as milliseconds rather than refused.
/// </summary>
public static class MessageTimes
{
    /// <summary>From here up a value is milliseconds: as seconds it would be after the year 5000; as milliseconds it is after March 1973.</summary>
    public const long MillisecondsFrom = 100_000_000_000;

    /// <summary>The largest Unix-millisecond value a <see cref="DateTimeOffset"/> can hold (9999-12-31).</summary>
    public const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>Whether <paramref name="msgTime"/> names a time that can be represented.</summary>
    public static bool IsValid(long msgTime) => msgTime >= 0 && ToUnixMilliseconds(msgTime) <= MaxUnixMilliseconds;

    public static long ToUnixMilliseconds(long msgTime) => msgTime < MillisecondsFrom ? msgTime * 1000 : msgTime;

    public static DateTimeOffset ToTime(long msgTime) => DateTimeOffset.FromUnixTimeMilliseconds(ToUnixMilliseconds(msgTime));
}
