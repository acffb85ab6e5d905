using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.GetWebhookEvent;

public sealed class GetWebhookEventQueryHandler(IWebhookEventReader reader) : IRequestHandler<GetWebhookEventQuery, WebhookEvent>
{
    public async Task<WebhookEvent> Handle(GetWebhookEventQuery request, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(request.Sequence, cancellationToken) is { } found)
        {
            return found;
        }

        // Only a miss pays for the floor: a caller told "removed" knows not to look for it again.
        var floor = await reader.GetFloorAsync(cancellationToken);
        throw new NotFoundException(request.Sequence < floor
            ? $"The webhook event with sequence {request.Sequence} was removed by retention; the first sequence still held is {floor}."
            : $"No webhook event has sequence {request.Sequence}.");
    }
}
