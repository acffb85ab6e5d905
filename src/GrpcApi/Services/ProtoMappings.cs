using CleanChat.Application.Common.Paging;
using CleanChat.Domain.Callbacks;
using Google.Protobuf.WellKnownTypes;
using Proto = CleanChat.Contracts.V1;

namespace CleanChat.GrpcApi.Services;

/// <summary>Domain records to their wire shape. Absent strings become empty, absent times unset.</summary>
internal static class ProtoMappings
{
    public static Proto.WebhookEvent ToProto(this Domain.Events.WebhookEvent e) => new()
    {
        Sequence = e.Sequence,
        SdkAppId = e.SdkAppId,
        CallbackCommand = e.CallbackCommand,
        OfficialAccount = e.OfficialAccount ?? string.Empty,
        OwnerAccount = e.OwnerAccount ?? string.Empty,
        OperatorAccount = e.OperatorAccount ?? string.Empty,
        Name = e.Name ?? string.Empty,
        EventTime = e.EventTime?.ToTimestamp(),
        ReceiveTime = e.ReceiveTime.ToTimestamp(),
        ClientIp = e.ClientIp ?? string.Empty,
        OptPlatform = e.OptPlatform is null ? string.Empty : OptPlatforms.Name(e.Platform),
        OptPlatformRaw = e.OptPlatform ?? string.Empty,
        PayloadJson = e.PayloadJson,
    };

    public static Proto.OfficialAccount ToProto(this Domain.OfficialAccounts.OfficialAccount a) => new()
    {
        SdkAppId = a.SdkAppId,
        OfficialAccount_ = a.OfficialAccountId,
        OwnerAccount = a.OwnerAccount ?? string.Empty,
        Name = a.Name ?? string.Empty,
        State = (Proto.OfficialAccount.Types.State)a.State,
        CreateTime = a.CreateTime?.ToTimestamp(),
        DestroyTime = a.DestroyTime?.ToTimestamp(),
        LastEventTime = a.LastEventTime.ToTimestamp(),
        LastEventSequence = a.LastEventSequence,
        Introduction = a.Introduction ?? string.Empty,
        FaceUrl = a.FaceUrl ?? string.Empty,
        Organization = a.Organization ?? string.Empty,
        SubscriberCount = a.SubscriberCount,
        FullTime = a.FullTime?.ToTimestamp(),
        LastMessageTime = a.LastMessageTime?.ToTimestamp(),
    };

    public static Proto.OfficialAccountSubscriber ToProto(this Domain.OfficialAccounts.OfficialAccountSubscriber s) => new()
    {
        SubscriberAccount = s.SubscriberAccount,
        SubscribeTime = s.SubscribeTime.ToTimestamp(),
    };

    public static Proto.OfficialAccountMessage ToProto(this Domain.OfficialAccounts.OfficialAccountMessage m) => new()
    {
        MsgKey = m.MsgKey,
        MsgTime = m.MsgTime.ToTimestamp(),
        OnlineOnly = m.OnlineOnly,
        MsgBodyJson = m.MsgBodyJson ?? string.Empty,
        CloudCustomData = m.CloudCustomData ?? string.Empty,
        Withdrawn = m.Withdrawn,
        WithdrawTime = m.WithdrawTime?.ToTimestamp(),
    };

    public static Proto.WebhookEventStats ToProto(this Application.Events.GetWebhookEventStats.WebhookEventStats stats)
    {
        var proto = new Proto.WebhookEventStats
        {
            TotalCount = stats.TotalCount,
            FirstEventTime = stats.FirstEventTime?.ToTimestamp(),
            LastEventTime = stats.LastEventTime?.ToTimestamp(),
            FirstSequence = stats.FirstSequence,
        };
        proto.ByCallbackCommand.AddRange(stats.ByCallbackCommand.Select(ToProto));
        proto.ByOptPlatform.AddRange(stats.ByOptPlatform.Select(ToProto));
        return proto;
    }

    private static Proto.WebhookEventStats.Types.KeyCount ToProto(Application.Events.GetWebhookEventStats.KeyCount c) =>
        new() { Key = c.Key, Count = c.Count };

    public static string? NullIfEmpty(this string value) => value.Length == 0 ? null : value;

    public static string NextPageToken<T>(this Page<T> page) => page.NextPageToken ?? string.Empty;
}
