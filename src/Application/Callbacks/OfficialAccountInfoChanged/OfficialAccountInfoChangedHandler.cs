using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.OfficialAccountInfoChanged;

/// <summary>Sets the profile fields the body carries: name, introduction, face URL, organization.</summary>
public sealed class OfficialAccountInfoChangedHandler(IWebhookEventStore store) : CallbackHandler<OfficialAccountInfoChanged>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, OfficialAccountInfoChanged body)
    {
        var webhookEvent = envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OperatorAccount = body.OperatorAccount,
            Name = body.Name,
        };
        return new(webhookEvent, new AccountChange(envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value)
        {
            Name = body.Name,
            Introduction = body.Introduction,
            FaceUrl = body.FaceUrl,
            Organization = body.Organization,
        });
    }
}
