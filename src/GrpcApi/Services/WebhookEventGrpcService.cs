using CleanChat.Application.Events.GetWebhookEvent;
using CleanChat.Application.Events.GetWebhookEventStats;
using CleanChat.Application.Events.ListWebhookEvents;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Contracts.V1;
using Grpc.Core;
using MediatR;
using WebhookEventStats = CleanChat.Contracts.V1.WebhookEventStats;

namespace CleanChat.GrpcApi.Services;

/// <summary>proto → MediatR query → proto; errors are mapped by the interceptor.</summary>
public sealed class WebhookEventGrpcService(IMediator mediator) : WebhookEventService.WebhookEventServiceBase
{
    public override async Task<WebhookEvent> GetWebhookEvent(GetWebhookEventRequest request, ServerCallContext context)
    {
        var found = await mediator.Send(new GetWebhookEventQuery(request.Sequence), context.CancellationToken);
        return found.ToProto();
    }

    public override async Task<ListWebhookEventsResponse> ListWebhookEvents(ListWebhookEventsRequest request, ServerCallContext context)
    {
        var page = await mediator.Send(
            new ListWebhookEventsQuery(request.ToFilter(), request.PageSize, request.PageToken.NullIfEmpty(), request.Order.ToOrder()),
            context.CancellationToken);

        var response = new ListWebhookEventsResponse { NextPageToken = page.NextPageToken() };
        response.Events.AddRange(page.Items.Select(e => e.ToProto()));
        return response;
    }

    public override async Task WatchWebhookEvents(
        WatchWebhookEventsRequest request, IServerStreamWriter<WebhookEvent> responseStream, ServerCallContext context)
    {
        var events = await mediator.Send(
            new WatchWebhookEventsQuery(request.AfterSequence, request.ToFilter()), context.CancellationToken);
        await foreach (var e in events.WithCancellation(context.CancellationToken))
        {
            await responseStream.WriteAsync(e.ToProto(), context.CancellationToken);
        }
    }

    public override async Task<WebhookEventStats> GetWebhookEventStats(GetWebhookEventStatsRequest request, ServerCallContext context)
    {
        var stats = await mediator.Send(
            new GetWebhookEventStatsQuery(request.SdkAppId.NullIfEmpty(), request.EventTime.ToRange("event_time")),
            context.CancellationToken);
        return stats.ToProto();
    }
}
