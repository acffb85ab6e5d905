namespace CleanChat.Domain.Events;

/// <summary>
/// One callback delivery as received: the query parameters, the common body fields and the raw body.
/// <see cref="Sequence"/> is 0 until the event log assigns it.
/// </summary>
public sealed record WebhookEvent
{
    public long Sequence { get; init; }
    public required string SdkAppId { get; init; }
    public required string CallbackCommand { get; init; }
    public string? OfficialAccount { get; init; }
    public string? OwnerAccount { get; init; }
    public string? OperatorAccount { get; init; }
    public string? Name { get; init; }

    /// <summary>When Tencent says it happened (body <c>EventTime</c>, Unix milliseconds).</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>When we received it.</summary>
    public required DateTimeOffset ReceiveTime { get; init; }
    public string? ClientIp { get; init; }

    /// <summary>The <c>OptPlatform</c> parameter exactly as sent; see <see cref="Callbacks.OptPlatforms"/>.</summary>
    public string? OptPlatform { get; init; }

    /// <summary>The platform <see cref="OptPlatform"/> names; <see cref="Callbacks.OptPlatform.Unknown"/> for any other text.</summary>
    public Callbacks.OptPlatform Platform => Callbacks.OptPlatforms.Parse(OptPlatform);
    public required string PayloadJson { get; init; }

    /// <summary>What makes two deliveries "the same callback"; see <see cref="DeliveryKeys"/>.</summary>
    public required string DeliveryKey { get; init; }
}
