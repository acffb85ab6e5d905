using CleanChat.Application.Common.Ports;

namespace CleanChat.Application.Callbacks.AddSubscribersRequested;

/// <summary>Records the request (the subscribers change only with its after-callback) and answers with the policy's decision.</summary>
public sealed class AddSubscribersRequestedHandler(IWebhookEventStore store, IBeforeCallbackPolicy policy)
    : CallbackHandler<AddSubscribersRequested>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, AddSubscribersRequested body) =>
        new(envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value) with
        {
            OperatorAccount = body.OperatorAccount,
        }, Change: null);

    protected override CallbackAnswer Answer(Callback<AddSubscribersRequested> request) => policy.Decide(request);
}
