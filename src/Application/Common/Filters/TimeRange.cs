namespace CleanChat.Application.Common.Filters;

/// <summary>
/// A half-open interval [<see cref="Start"/>, <see cref="End"/>); a null bound is open. Compared in whole
/// milliseconds, the precision the log stores times in, so the SQL filter and <see cref="Contains"/> agree.
/// </summary>
public sealed record TimeRange(DateTimeOffset? Start, DateTimeOffset? End)
{
    public long? StartMs => Start?.ToUnixTimeMilliseconds();
    public long? EndMs => End?.ToUnixTimeMilliseconds();

    /// <summary>True when <paramref name="time"/> is inside; an absent time is outside any bounded range.</summary>
    public bool Contains(DateTimeOffset? time)
    {
        if (StartMs is null && EndMs is null)
        {
            return true;
        }

        var ms = time?.ToUnixTimeMilliseconds();
        return ms is not null && (StartMs is null || ms >= StartMs) && (EndMs is null || ms < EndMs);
    }
}
