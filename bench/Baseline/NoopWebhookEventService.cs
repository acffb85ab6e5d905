using CleanChat.Contracts.V1;
using Grpc.Core;

namespace CleanChat.Baseline;

/// <summary>The gRPC reference: the same method path as CleanChat's, answering an empty event without reading anything.</summary>
public sealed class NoopWebhookEventService : WebhookEventService.WebhookEventServiceBase
{
    private static readonly Task<WebhookEvent> Empty = Task.FromResult(new WebhookEvent());

    public override Task<WebhookEvent> GetWebhookEvent(GetWebhookEventRequest request, ServerCallContext context) => Empty;
}
