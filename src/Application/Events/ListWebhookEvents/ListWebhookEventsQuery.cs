using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.ListWebhookEvents;

/// <summary>Events newest first, filtered, one page at a time.</summary>
public sealed record ListWebhookEventsQuery(WebhookEventFilter Filter, int PageSize, string? PageToken)
    : IRequest<Page<WebhookEvent>>;
