using System.Text.Json.Serialization;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// One line of an archive file: the event's columns under the proto's JSON names (<c>WebhookEvent</c> in
/// webhook_events.proto), <c>raw_body</c> being the body exactly as received (the proto's <c>payload_json</c>), plus the
/// delivery key, so that a
/// restored event is still recognised as a repeat of the same delivery.
/// </summary>
public sealed record ArchivedEvent(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("sdk_app_id")] string SdkAppId,
    [property: JsonPropertyName("callback_command")] string CallbackCommand,
    [property: JsonPropertyName("official_account")] string? OfficialAccount,
    [property: JsonPropertyName("owner_account")] string? OwnerAccount,
    [property: JsonPropertyName("operator_account")] string? OperatorAccount,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("event_time")] DateTimeOffset? EventTime,
    [property: JsonPropertyName("receive_time")] DateTimeOffset ReceiveTime,
    [property: JsonPropertyName("client_ip")] string? ClientIp,
    [property: JsonPropertyName("opt_platform")] string? OptPlatform,
    [property: JsonPropertyName("opt_platform_raw")] string? OptPlatformRaw,
    [property: JsonPropertyName("raw_body")] string PayloadJson,
    [property: JsonPropertyName("delivery_key")] string DeliveryKey);
