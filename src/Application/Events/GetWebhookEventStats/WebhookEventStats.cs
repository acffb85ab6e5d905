namespace CleanChat.Application.Events.GetWebhookEventStats;

/// <param name="FirstSequence">The retention floor: the first sequence the log still holds.</param>
/// <param name="ByOptPlatform">Keyed by normalised platform; the empty key counts events sent without one.</param>
public sealed record WebhookEventStats(
    long TotalCount,
    IReadOnlyList<KeyCount> ByCallbackCommand,
    IReadOnlyList<KeyCount> ByOptPlatform,
    DateTimeOffset? FirstEventTime,
    DateTimeOffset? LastEventTime,
    long FirstSequence);
