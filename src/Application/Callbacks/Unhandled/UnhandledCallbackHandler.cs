using System.Text.Json;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;

namespace CleanChat.Application.Callbacks.Unhandled;

/// <summary>
/// Records a callback we do not model, so nothing Tencent sends is dropped; the answer is OK with
/// ErrorCode 0, which for a "before" callback means "allow": the safe default.
/// </summary>
public sealed class UnhandledCallbackHandler(IWebhookEventStore store) : CallbackHandler<UnhandledCallback>(store)
{
    public override RecordedCallback Record(CallbackEnvelope envelope, UnhandledCallback body)
    {
        // Keyed by the body, which alone tells such events apart; with the event time in front when the body has one,
        // so the keys of live traffic land at the end of the unique index (decision 0004).
        var eventTime = EventTimeOrNull(body.EventTime);
        var deliveryKey = eventTime is { } time
            ? DeliveryKeys.ForEventPayload(envelope.SdkAppId, envelope.CallbackCommand, time.ToUnixTimeMilliseconds(), envelope.PayloadJson)
            : DeliveryKeys.ForPayload(envelope.SdkAppId, envelope.CallbackCommand, envelope.PayloadJson);
        var webhookEvent = envelope.ToWebhookEvent(deliveryKey) with
        {
            OfficialAccount = CallbackJson.TextOrNull(body.OfficialAccount),
            OwnerAccount = CallbackJson.TextOrNull(body.OwnerAccount),
            OperatorAccount = CallbackJson.TextOrNull(body.OperatorAccount),
            EventTime = eventTime,
        };
        return new(webhookEvent, Change: null);
    }

    private static DateTimeOffset? EventTimeOrNull(JsonElement? element) =>
        CallbackJson.IntegerOrNull(element) is { } ms and > 0 and <= CallbackValidator<UnhandledCallback>.MaxEventTimeMs
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
