using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.MessagesWithdrawn;

/// <summary>Marks the listed messages withdrawn at this event's time, including any whose send has not arrived yet.</summary>
public sealed class MessagesWithdrawnHandler(IWebhookEventStore store) : CallbackHandler<MessagesWithdrawn>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, MessagesWithdrawn body)
    {
        var webhookEvent = envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value);
        var msgKeys = body.WithdrawMsgList!.Select(m => m!.MsgKey!).Distinct(StringComparer.Ordinal).ToArray();
        return new(webhookEvent, new WithdrawalChange(envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value, msgKeys));
    }
}
