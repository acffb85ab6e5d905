using CleanChat.Application.Common.Filters;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.WatchWebhookEvents;

/// <summary>
/// Every stored event after <see cref="AfterSequence"/> matching <see cref="Filter"/>, in sequence order,
/// then each new one as it commits, until cancelled. The events come in batches of those ready together (a backlog
/// page, or what the live feed buffered while the caller was sending the previous batch), so a host can send each
/// batch at once.
/// </summary>
public sealed record WatchWebhookEventsQuery(long AfterSequence, WebhookEventFilter Filter) : IRequest<IAsyncEnumerable<IReadOnlyList<WebhookEvent>>>;
