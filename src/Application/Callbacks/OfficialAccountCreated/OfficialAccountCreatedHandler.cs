using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks.OfficialAccountCreated;

/// <summary>
/// Makes the account active with its owner and name, and sets its create time. A late create never revives a
/// destroyed account: the state goes to the newest event (<see cref="AccountChange"/>).
/// </summary>
public sealed class OfficialAccountCreatedHandler(IWebhookEventStore store) : CallbackHandler<OfficialAccountCreated>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, OfficialAccountCreated body)
    {
        var webhookEvent = envelope.ToAccountEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OwnerAccount = body.OwnerAccount,
            OperatorAccount = body.OperatorAccount,
            Name = body.Name,
        };
        return new(webhookEvent, new AccountChange(envelope.SdkAppId, body.OfficialAccount!, webhookEvent.EventTime!.Value)
        {
            State = OfficialAccountState.Active,
            OwnerAccount = body.OwnerAccount,
            Name = body.Name,
        });
    }
}
