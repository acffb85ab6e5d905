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
            OfficialAccount = StringOrNull(body.OfficialAccount),
            OwnerAccount = StringOrNull(body.OwnerAccount),
            OperatorAccount = StringOrNull(body.OperatorAccount),
            EventTime = EventTimeOrNull(body.EventTime),
        };
        return store.AppendAsync(webhookEvent, change: null, cancellationToken);
    }

    private static string? StringOrNull(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.String } e)
        {
            return null;
        }

        try
        {
            return e.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no .NET string; the raw body still keeps it.
            return null;
        }
    }

    private static DateTimeOffset? EventTimeOrNull(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Number } e
        && e.TryGetInt64(out var ms)
        && ms is > 0 and <= CallbackValidator<UnhandledCallback>.MaxEventTimeMs
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}
