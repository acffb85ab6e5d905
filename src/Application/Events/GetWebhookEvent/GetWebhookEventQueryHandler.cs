using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.GetWebhookEvent;

public sealed class GetWebhookEventQueryHandler(IWebhookEventReader reader) : IRequestHandler<GetWebhookEventQuery, WebhookEvent>
{
    public async Task<WebhookEvent> Handle(GetWebhookEventQuery request, CancellationToken cancellationToken) =>
        await reader.GetAsync(request.Sequence, cancellationToken)
        ?? throw new NotFoundException($"No webhook event has sequence {request.Sequence}.");
}
