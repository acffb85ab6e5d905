using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.Callbacks.OfficialAccountDestroyed;

/// <summary>Logs the delivery and marks the account destroyed, in one durable transaction.</summary>
public sealed class OfficialAccountDestroyedHandler(IWebhookEventStore store)
    : IRequestHandler<Callback<OfficialAccountDestroyed>, AppendResult>
{
    public Task<AppendResult> Handle(Callback<OfficialAccountDestroyed> request, CancellationToken cancellationToken)
    {
        var (envelope, body) = request;
        // The validator has run: the required fields are present.
        var webhookEvent = envelope.ToAccountEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OwnerAccount = body.OwnerAccount,
            Name = body.Name,
        };
        var change = OfficialAccountChange.To(OfficialAccountState.Destroyed, webhookEvent);

        return store.AppendAsync(webhookEvent, change, cancellationToken);
    }
}
