namespace CleanChat.Application.Events.GetWebhookEventStats;

public sealed record KeyCount(string Key, long Count);
