using CleanChat.Domain.Events;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// What every callback delivery carries besides its typed body: the query parameters Tencent appends,
/// when we received it, and the raw JSON body (kept verbatim in the event log).
/// </summary>
public sealed record CallbackEnvelope(
    string SdkAppId,
    string CallbackCommand,
    string? ClientIp,
    string? OptPlatform,
    DateTimeOffset ReceiveTime,
    string PayloadJson)
{
    /// <summary>The event-log entry for this delivery, before the callback's own fields are filled in.</summary>
    public WebhookEvent ToWebhookEvent(string deliveryKey) => new()
    {
        SdkAppId = SdkAppId,
        CallbackCommand = CallbackCommand,
        ClientIp = ClientIp,
        OptPlatform = OptPlatform,
        ReceiveTime = ReceiveTime,
        PayloadJson = PayloadJson,
        DeliveryKey = deliveryKey,
    };

    /// <summary>
    /// The event-log entry for a callback about one account, keyed by app, command, account and event time,
    /// so a redelivery is stored once.
    /// </summary>
    public WebhookEvent ToAccountEvent(string officialAccount, long eventTimeMs) =>
        ToWebhookEvent(DeliveryKeys.ForAccountEvent(SdkAppId, CallbackCommand, officialAccount, eventTimeMs)) with
        {
            OfficialAccount = officialAccount,
            EventTime = DateTimeOffset.FromUnixTimeMilliseconds(eventTimeMs),
        };

    /// <summary>
    /// The event-log entry for a callback whose body tells its events apart (a list, a profile, a message), keyed
    /// by its event time and its body: see <see cref="DeliveryKeys.ForEventPayload"/>.
    /// </summary>
    public WebhookEvent ToPayloadEvent(string? officialAccount, long eventTimeMs) =>
        ToWebhookEvent(DeliveryKeys.ForEventPayload(SdkAppId, CallbackCommand, eventTimeMs, PayloadJson)) with
        {
            OfficialAccount = officialAccount,
            EventTime = DateTimeOffset.FromUnixTimeMilliseconds(eventTimeMs),
        };
}
