using System.ComponentModel.DataAnnotations;

namespace CleanChat.Infrastructure.Events;

/// <summary>The live event feed behind WatchWebhookEvents (section <c>Watch</c>).</summary>
public sealed class WebhookEventFeedOptions
{
    public const string Section = "Watch";

    /// <summary>How often the feed asks SQLite whether another connection committed (a cheap pragma).</summary>
    [Range(1, 1000, ErrorMessage = "Watch:PollIntervalMilliseconds must be between 1 and 1000.")]
    public int PollIntervalMilliseconds { get; set; } = 10;

    /// <summary>Events buffered per watcher; a watcher further behind than this is ended with RESOURCE_EXHAUSTED.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Watch:SubscriberBufferSize must be between 1 and 1000000.")]
    public int SubscriberBufferSize { get; set; } = 2048;
}
