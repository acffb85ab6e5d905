using CleanChat.Application.Common.Ports;

namespace CleanChat.Application.Callbacks.CreateOfficialAccountRequested;

/// <summary>Records the request (it changes no state: the account exists only once its after-callback comes) and answers with the policy's decision.</summary>
public sealed class CreateOfficialAccountRequestedHandler(IWebhookEventStore store, IBeforeCallbackPolicy policy)
    : CallbackHandler<CreateOfficialAccountRequested>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, CreateOfficialAccountRequested body) =>
        new(envelope.ToPayloadEvent(officialAccount: null, body.EventTime!.Value) with
        {
            OwnerAccount = body.OwnerAccount,
            OperatorAccount = body.OperatorAccount,
            Name = body.Name,
        }, Change: null);

    protected override CallbackAnswer Answer(Callback<CreateOfficialAccountRequested> request) => policy.Decide(request);
}
