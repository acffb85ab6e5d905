namespace CleanChat.Infrastructure.Persistence;

/// <summary>Both engines store times as Unix milliseconds; a NULL column is a time not known.</summary>
internal static class UnixMs
{
    public static DateTimeOffset? ToTime(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
