using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Events;
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
        var officialAccount = body.OfficialAccount!;
        var eventTimeMs = body.EventTime!.Value;
        var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(eventTimeMs);

        var deliveryKey = DeliveryKeys.ForAccountEvent(envelope.SdkAppId, envelope.CallbackCommand, officialAccount, eventTimeMs);
        var webhookEvent = envelope.ToWebhookEvent(deliveryKey) with
        {
            OfficialAccount = officialAccount,
            OwnerAccount = body.OwnerAccount,
            OperatorAccount = body.OperatorAccount,
            Name = body.Name,
            EventTime = eventTime,
        };
        var change = new OfficialAccountChange(
            envelope.SdkAppId, officialAccount, OfficialAccountState.Active, body.OwnerAccount, body.Name, eventTime);

        return store.AppendAsync(webhookEvent, change, cancellationToken);
    }
}
