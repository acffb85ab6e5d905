using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.GetWebhookEvent;

public sealed record GetWebhookEventQuery(long Sequence) : IRequest<WebhookEvent>;
