using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.SubscribersDeleted;

/// <summary>Removes the listed users from the account's subscribers.</summary>
public sealed class SubscribersDeletedHandler(IWebhookEventStore store) : CallbackHandler<SubscribersDeleted>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, SubscribersDeleted body)
    {
        var webhookEvent = envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OperatorAccount = body.OperatorAccount,
        };
        var subscribers = body.SubscribeAccountList!.Select(s => s!.SubscriberAccount!).Distinct(StringComparer.Ordinal).ToArray();
        return new(webhookEvent, new SubscriberChange(
            envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value, subscribers, Subscribed: false));
    }
}
