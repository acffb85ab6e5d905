using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.Callbacks.OfficialAccountCreated;

/// <summary>
/// Logs the delivery and makes the account active with its owner and name, in one durable transaction.
/// The store applies the change only if no newer event is known, so a late create never revives a destroyed account.
/// </summary>
public sealed class OfficialAccountCreatedHandler(IWebhookEventStore store)
    : IRequestHandler<Callback<OfficialAccountCreated>, AppendResult>
{
    public Task<AppendResult> Handle(Callback<OfficialAccountCreated> request, CancellationToken cancellationToken)
    {
        var (envelope, body) = request;
        // The validator has run: the required fields are present.
        var webhookEvent = envelope.ToAccountEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OwnerAccount = body.OwnerAccount,
            OperatorAccount = body.OperatorAccount,
            Name = body.Name,
        };
        var change = OfficialAccountChange.To(OfficialAccountState.Active, webhookEvent);

        return store.AppendAsync(webhookEvent, change, cancellationToken);
    }
}
