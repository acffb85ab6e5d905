using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.WatchWebhookEvents;

/// <summary>
/// Every stored event after <see cref="AfterSequence"/> matching <see cref="Filter"/>, in sequence order,
/// then each new one as it commits, until cancelled.
/// </summary>
public sealed record WatchWebhookEventsQuery(long AfterSequence, WebhookEventFilter Filter) : IRequest<IAsyncEnumerable<WebhookEvent>>;
