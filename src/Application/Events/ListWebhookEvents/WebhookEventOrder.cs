namespace CleanChat.Application.Events.ListWebhookEvents;

public enum WebhookEventOrder
{
    NewestFirst,
    SequenceAscending,
}
