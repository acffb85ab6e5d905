using CleanChat.Application.Events.GetWebhookEvent;
using CleanChat.Application.Events.GetWebhookEventStats;
using CleanChat.Application.Events.ListWebhookEvents;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Contracts.V1;
using Grpc.Core;
using MediatR;
using WebhookEventStats = CleanChat.Contracts.V1.WebhookEventStats;

namespace CleanChat.GrpcApi.Services;

/// <summary>
/// proto → MediatR query → proto; errors are mapped by the interceptor. Watch writes each event in a form encoded
/// once per process (<see cref="EncodedEventCache"/>), so a deployment with many watchers serialises an event once,
/// not once per stream.
/// </summary>
/// <remarks>
/// Bound here rather than by the generated base class, whose binding gives Watch the generated marshaller, which
/// serialises a message on every write. <see cref="BindService"/> takes the generated definitions of the other
/// methods and binds Watch with <see cref="EncodedWebhookEvent.Marshaller"/>, which writes the bytes as they are.
/// The same wire messages go out, and reflection still describes Watch as <c>stream cleanchat.v1.WebhookEvent</c>:
/// grpc-dotnet finds this binding through the attribute, and reflection the <see cref="Descriptor"/> beside it.
/// grpc-dotnet binds each method to the public virtual method of that name declared here, which is why this class
/// is not sealed and its handlers are virtual. (Mapping a <c>ServerServiceDefinition</c> would avoid that, but
/// reflection cannot trace such a service to its descriptor; caching the bytes on the event instead would put
/// protobuf into Domain.)
/// </remarks>
[BindServiceMethod(typeof(WebhookEventGrpcService), nameof(BindService))]
public class WebhookEventGrpcService(IMediator mediator, EncodedEventCache encoded)
{
    private const int MaxUnflushedBytes = 32 * 1024;

    private static readonly Method<WatchWebhookEventsRequest, EncodedWebhookEvent> WatchMethod = new(
        MethodType.ServerStreaming,
        WebhookEventService.Descriptor.FullName,
        nameof(WatchWebhookEvents),
        Marshallers.Create(request => Google.Protobuf.MessageExtensions.ToByteArray(request), WatchWebhookEventsRequest.Parser.ParseFrom),
        EncodedWebhookEvent.Marshaller);

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => WebhookEventService.Descriptor;

    public static void BindService(ServiceBinderBase binder, WebhookEventGrpcService? service)
    {
        WebhookEventService.BindService(new EveryMethodBut(WatchMethod.Name, binder), null);
        binder.AddMethod(WatchMethod, service is null ? null : service.WatchWebhookEvents);
    }

    public virtual async Task<WebhookEvent> GetWebhookEvent(GetWebhookEventRequest request, ServerCallContext context)
    {
        var found = await mediator.Send(new GetWebhookEventQuery(request.Sequence), context.CancellationToken);
        return found.ToProto();
    }

    public virtual async Task<ListWebhookEventsResponse> ListWebhookEvents(ListWebhookEventsRequest request, ServerCallContext context)
    {
        var page = await mediator.Send(
            new ListWebhookEventsQuery(request.ToFilter(), request.PageSize, request.PageToken.NullIfEmpty(), request.Order.ToOrder()),
            context.CancellationToken);

        var response = new ListWebhookEventsResponse { NextPageToken = page.NextPageToken() };
        response.Events.AddRange(page.Items.Select(e => e.ToProto()));
        return response;
    }

    public virtual async Task WatchWebhookEvents(
        WatchWebhookEventsRequest request, IServerStreamWriter<EncodedWebhookEvent> responseStream, ServerCallContext context)
    {
        var events = await mediator.Send(
            new WatchWebhookEventsQuery(request.AfterSequence, request.ToFilter()), context.CancellationToken);
        await foreach (var batch in events.WithCancellation(context.CancellationToken))
        {
            // Events that were ready together go out together: only the last of a batch flushes, so a burst costs
            // one flush, a few HTTP/2 frames and system calls, rather than each of those per event. A flush also
            // waits for the client, so one every MaxUnflushedBytes keeps a slow reader's unsent bytes bounded.
            var unflushed = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var message = encoded.Get(batch[i]);
                unflushed += message.Message.Length;
                var flush = i == batch.Count - 1 || unflushed >= MaxUnflushedBytes;
                responseStream.WriteOptions = flush ? null : Buffered;
                await responseStream.WriteAsync(message, context.CancellationToken);
                if (flush)
                {
                    unflushed = 0;
                }
            }
        }
    }

    public virtual async Task<WebhookEventStats> GetWebhookEventStats(GetWebhookEventStatsRequest request, ServerCallContext context)
    {
        var stats = await mediator.Send(
            new GetWebhookEventStatsQuery(request.SdkAppId.NullIfEmpty(), request.EventTime.ToRange("event_time")),
            context.CancellationToken);
        return stats.ToProto();
    }

    /// <summary>Passes the generated bindings on, except the one bound by hand. The service has no client or duplex streams.</summary>
    private sealed class EveryMethodBut(string skipped, ServiceBinderBase binder) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            binder.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            if (method.Name != skipped)
            {
                binder.AddMethod(method, handler);
            }
        }
    }
}
