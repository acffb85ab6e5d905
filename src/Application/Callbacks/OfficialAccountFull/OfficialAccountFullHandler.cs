using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.OfficialAccountFull;

/// <summary>Sets the account's full time: when Tencent last reported it full.</summary>
public sealed class OfficialAccountFullHandler(IWebhookEventStore store) : CallbackHandler<OfficialAccountFull>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, OfficialAccountFull body)
    {
        var webhookEvent = envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value);
        return new(webhookEvent, new AccountChange(envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value) { Full = true });
    }
}
