namespace CleanChat.Application.Common.Ports;

/// <summary>How many events one (command, platform) pair has, and their earliest and latest event time.</summary>
public sealed record WebhookEventGroupCount(
    string CallbackCommand,
    string? OptPlatform,
    long Count,
    DateTimeOffset? FirstEventTime,
    DateTimeOffset? LastEventTime);
