using CleanChat.Application.Common.Filters;
using CleanChat.Application.Events.ListWebhookEvents;
using FluentValidation;
using FluentValidation.Results;
using Google.Protobuf.WellKnownTypes;
using Proto = CleanChat.Contracts.V1;

namespace CleanChat.GrpcApi.Services;

/// <summary>Requests to query filters. Empty strings and unset ranges mean "no filter".</summary>
internal static class RequestMappings
{
    // The range google.protobuf.Timestamp allows: 0001-01-01 to 9999-12-31.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    public static WebhookEventFilter ToFilter(this Proto.ListWebhookEventsRequest r) => new(
        r.SdkAppId.NullIfEmpty(), r.OfficialAccount.NullIfEmpty(), r.CallbackCommand.NullIfEmpty(),
        r.OwnerAccount.NullIfEmpty(), r.OptPlatform.NullIfEmpty(),
        r.EventTime.ToRange("event_time"), r.ReceiveTime.ToRange("receive_time"));

    public static WebhookEventFilter ToFilter(this Proto.WatchWebhookEventsRequest r) => new(
        r.SdkAppId.NullIfEmpty(), r.OfficialAccount.NullIfEmpty(), r.CallbackCommand.NullIfEmpty(),
        r.OwnerAccount.NullIfEmpty(), r.OptPlatform.NullIfEmpty(),
        r.EventTime.ToRange("event_time"), r.ReceiveTime.ToRange("receive_time"));

    public static WebhookEventOrder ToOrder(this Proto.ListWebhookEventsRequest.Types.Order order) => order switch
    {
        Proto.ListWebhookEventsRequest.Types.Order.Unspecified or Proto.ListWebhookEventsRequest.Types.Order.NewestFirst => WebhookEventOrder.NewestFirst,
        Proto.ListWebhookEventsRequest.Types.Order.SequenceAscending => WebhookEventOrder.SequenceAscending,
        _ => (WebhookEventOrder)(-1), // refused by the validator, naming the field
    };

    public static TimeRange? ToRange(this Proto.TimeRange? range, string field)
    {
        if (range is null || (range.StartTime is null && range.EndTime is null))
        {
            return null;
        }

        return new TimeRange(ToTime(range.StartTime, field + ".start_time"), ToTime(range.EndTime, field + ".end_time"));
    }

    private static DateTimeOffset? ToTime(Timestamp? timestamp, string field) =>
        timestamp switch
        {
            null => null,
            { Seconds: >= MinSeconds and <= MaxSeconds, Nanos: >= 0 and <= 999_999_999 } => timestamp.ToDateTimeOffset(),
            _ => throw new ValidationException([new ValidationFailure(field, $"{field} is not a valid timestamp.")]),
        };
}
