using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Events.GetWebhookEvent;
using CleanChat.Application.Events.ListWebhookEvents;
using CleanChat.Contracts.V1;
using Grpc.Core;
using MediatR;

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
        var filter = new WebhookEventFilter(
            request.SdkAppId.NullIfEmpty(), request.OfficialAccount.NullIfEmpty(), request.CallbackCommand.NullIfEmpty());
        var page = await mediator.Send(
            new ListWebhookEventsQuery(filter, request.PageSize, request.PageToken.NullIfEmpty()), context.CancellationToken);

        var response = new ListWebhookEventsResponse { NextPageToken = page.NextPageToken() };
        response.Events.AddRange(page.Items.Select(e => e.ToProto()));
        return response;
    }
}
