using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.OfficialAccountDestroyed;

/// <summary>Marks the account destroyed, with the owner and name it had, unless a newer event says otherwise.</summary>
public sealed class OfficialAccountDestroyedHandler(IWebhookEventStore store) : CallbackHandler<OfficialAccountDestroyed>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, OfficialAccountDestroyed body)
    {
        var webhookEvent = envelope.ToAccountEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OwnerAccount = body.OwnerAccount,
            Name = body.Name,
        };
        return new(webhookEvent, new AccountChange(envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value)
        {
            State = OfficialAccountState.Destroyed,
            OwnerAccount = body.OwnerAccount,
            Name = body.Name,
        });
    }
}
