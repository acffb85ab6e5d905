using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Persistence;

namespace CleanChat.Infrastructure.Events;

/// <summary>A <c>webhook_events</c> row as SQLite returns it (times in Unix ms).</summary>
internal sealed record WebhookEventRow(
    long Sequence,
    string SdkAppId,
    string CallbackCommand,
    string? OfficialAccount,
    string? OwnerAccount,
    string? OperatorAccount,
    string? Name,
    long? EventTime,
    long ReceiveTime,
    string? ClientIp,
    string? OptPlatform,
    string PayloadJson,
    string DeliveryKey)
{
    public WebhookEvent ToDomain() => new()
    {
        Sequence = Sequence,
        SdkAppId = SdkAppId,
        CallbackCommand = CallbackCommand,
        OfficialAccount = OfficialAccount,
        OwnerAccount = OwnerAccount,
        OperatorAccount = OperatorAccount,
        Name = Name,
        EventTime = UnixMs.ToTime(EventTime),
        ReceiveTime = DateTimeOffset.FromUnixTimeMilliseconds(ReceiveTime),
        ClientIp = ClientIp,
        OptPlatform = OptPlatform,
        PayloadJson = PayloadJson,
        DeliveryKey = DeliveryKey,
    };
}
