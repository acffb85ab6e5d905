using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.SubscribersAdded;

/// <summary>Adds the listed users to the account's subscribers, with this event's time as their subscribe time.</summary>
public sealed class SubscribersAddedHandler(IWebhookEventStore store) : CallbackHandler<SubscribersAdded>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, SubscribersAdded body)
    {
        var webhookEvent = envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OperatorAccount = body.OperatorAccount,
        };
        var subscribers = body.SubscribeAccountList!.Select(s => s!.SubscriberAccount!).Distinct(StringComparer.Ordinal).ToArray();
        return new(webhookEvent, new SubscriberChange(
            envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value, subscribers, Subscribed: true));
    }
}
