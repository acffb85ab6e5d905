using System.Text.Json;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.MessageSent;

/// <summary>Stores the message under its MsgKey: its time, whether it was online-only, its body and custom data.</summary>
public sealed class MessageSentHandler(IWebhookEventStore store) : CallbackHandler<MessageSent>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, MessageSent body)
    {
        var webhookEvent = envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value);
        return new(webhookEvent, new MessageChange(
            envelope.SdkAppId,
            body.OfficialAccount!,
            webhookEvent.EventTime!.Value,
            body.MsgKey!,
            MessageTimes.ToTime(body.MsgTime!.Value),
            // Tencent: 1 for an online-only message, otherwise 0.
            OnlineOnly: body.OnlineOnlyFlag == 1,
            body.MsgBody is { ValueKind: not JsonValueKind.Null } msgBody ? msgBody.GetRawText() : null,
            body.CloudCustomData));
    }
}
