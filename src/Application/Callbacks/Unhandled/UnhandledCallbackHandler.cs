using System.Text.Json;
using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Callbacks.Unhandled;

/// <summary>
/// Records a callback we do not model, so nothing Tencent sends is dropped; the answer is OK with
/// ErrorCode 0, which for a "before" callback means "allow": the safe default.
/// </summary>
public sealed class UnhandledCallbackHandler(IWebhookEventStore store)
    : IRequestHandler<Callback<UnhandledCallback>, AppendResult>
{
    public Task<AppendResult> Handle(Callback<UnhandledCallback> request, CancellationToken cancellationToken)
    {
        var (envelope, body) = request;
        var deliveryKey = DeliveryKeys.ForPayload(envelope.SdkAppId, envelope.CallbackCommand, envelope.PayloadJson);
        var webhookEvent = envelope.ToWebhookEvent(deliveryKey) with
        {
            OfficialAccount = CallbackJson.TextOrNull(body.OfficialAccount),
            OwnerAccount = CallbackJson.TextOrNull(body.OwnerAccount),
            OperatorAccount = CallbackJson.TextOrNull(body.OperatorAccount),
            EventTime = EventTimeOrNull(body.EventTime),
        };
        return store.AppendAsync(webhookEvent, change: null, cancellationToken);
    }

    private static DateTimeOffset? EventTimeOrNull(JsonElement? element) =>
        CallbackJson.IntegerOrNull(element) is { } ms and > 0 and <= CallbackValidator<UnhandledCallback>.MaxEventTimeMs
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
