using CleanChat.Application.Common.Ports;

namespace CleanChat.Application.Callbacks.SendMessageRequested;

/// <summary>Records the request (the message is stored with its after-callback, which brings its MsgKey) and answers with the policy's decision.</summary>
public sealed class SendMessageRequestedHandler(IWebhookEventStore store, IBeforeCallbackPolicy policy)
    : CallbackHandler<SendMessageRequested>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, SendMessageRequested body) =>
        new(envelope.ToPayloadEvent(body.OfficialAccount!, body.EventTime!.Value), Change: null);

    protected override CallbackAnswer Answer(Callback<SendMessageRequested> request) => policy.Decide(request);
}
