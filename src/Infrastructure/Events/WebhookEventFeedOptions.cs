using System.ComponentModel.DataAnnotations;

namespace CleanChat.Infrastructure.Events;

/// <summary>The live event feed behind WatchWebhookEvents (section <c>Watch</c>).</summary>
public sealed class WebhookEventFeedOptions
{
    public const string Section = "Watch";

    /// <summary>
    /// SQLite: how often the feed asks whether another connection committed (a cheap pragma). PostgreSQL: the
    /// pause before reading again after a database fault.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Watch:PollIntervalMilliseconds must be between 1 and 1000.")]
    public int PollIntervalMilliseconds { get; set; } = 10;

    /// <summary>
    /// PostgreSQL: the feed reads new rows on every NOTIFY from a writer, and also this often without one, so an
    /// event whose notification was lost (a dropped connection) is only late, never missed.
    /// </summary>
    [Range(10, 60_000, ErrorMessage = "Watch:CatchUpIntervalMilliseconds must be between 10 and 60000.")]
    public int CatchUpIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Events buffered per watcher; a watcher further behind than this is ended with RESOURCE_EXHAUSTED.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Watch:SubscriberBufferSize must be between 1 and 1000000.")]
    public int SubscriberBufferSize { get; set; } = 2048;
}
