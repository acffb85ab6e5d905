using CleanChat.Application.Common.Ports;
using MediatR;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// Every callback is handled the same way: the callback's own handler says what the delivery records (its log
/// entry and the state it changes, <see cref="Record"/>) and, for a "before" callback, what Tencent is answered
/// (<see cref="Answer"/>); this appends both in one transaction and answers once it is durable.
/// </summary>
public abstract class CallbackHandler<TBody>(IWebhookEventStore store) : IRequestHandler<Callback<TBody>, CallbackResult>
    where TBody : ICallbackBody
{
    public async Task<CallbackResult> Handle(Callback<TBody> request, CancellationToken cancellationToken)
    {
        var answer = Answer(request);
        var (webhookEvent, change) = Record(request.Envelope, request.Body);
        var appended = await store.AppendAsync(webhookEvent, change, cancellationToken);
        return new CallbackResult(appended, answer);
    }

    /// <summary>The log entry and the state change for a delivery; the validator has run, so required fields are present.</summary>
    public abstract RecordedCallback Record(CallbackEnvelope envelope, TBody body);

    /// <summary>ErrorCode 0. Tencent ignores the answer to an "after" callback; a "before" callback asks <see cref="IBeforeCallbackPolicy"/>.</summary>
    protected virtual CallbackAnswer Answer(Callback<TBody> request) => CallbackAnswer.Allow;
}
