using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Events;
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
        var officialAccount = body.OfficialAccount!;
        var eventTimeMs = body.EventTime!.Value;
        var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(eventTimeMs);

        var deliveryKey = DeliveryKeys.ForAccountEvent(envelope.SdkAppId, envelope.CallbackCommand, officialAccount, eventTimeMs);
        var webhookEvent = envelope.ToWebhookEvent(deliveryKey) with
        {
            OfficialAccount = officialAccount,
            OwnerAccount = body.OwnerAccount,
            Name = body.Name,
            EventTime = eventTime,
        };
        var change = new OfficialAccountChange(
            envelope.SdkAppId, officialAccount, OfficialAccountState.Destroyed, body.OwnerAccount, body.Name, eventTime);

        return store.AppendAsync(webhookEvent, change, cancellationToken);
    }
}
