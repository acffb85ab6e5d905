using System.ComponentModel.DataAnnotations;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// Section <c>Retention</c>: how long the event log keeps events. Off unless <see cref="MaxAge"/> is set; the folded
/// state (accounts, subscribers, messages) is never removed.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public const string ArchiveRequired =
        "Retention:MaxAge is set, so Retention:ArchivePath must name a folder for the archive, or " +
        "Retention:DeleteWithoutArchive must be true to delete old events without keeping them.";

    public const string MaxAgePositive = "Retention:MaxAge must be a positive TimeSpan, e.g. 30.00:00:00.";

    /// <summary>Events received longer ago than this are archived, then deleted. Unset (default): keep forever.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>The folder the archive files go to; a relative path is under the host's content root.</summary>
    public string? ArchivePath { get; set; }

    /// <summary>True: delete old events without archiving them. Must be said out loud; there is no way back.</summary>
    public bool DeleteWithoutArchive { get; set; }

    [Range(1, 86_400, ErrorMessage = "Retention:IntervalSeconds must be between 1 and 86400.")]
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Events per archive file and per delete transaction: small enough that the writer, which waits for the
    /// delete's lock on SQLite, does not notice it.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Retention:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 2000;

    /// <summary>
    /// After each batch the job rests this many times as long as the batch took (1: half the time working), so that
    /// the webhook writer (on SQLite, the thread that also runs the deletes) and the host's threads get their turn
    /// while a large backlog is removed. 0: no rest.
    /// </summary>
    [Range(0.0, 10.0, ErrorMessage = "Retention:RestRatio must be between 0 and 10.")]
    public double RestRatio { get; set; } = 1.0;

    public bool Enabled => MaxAge is not null;
}
