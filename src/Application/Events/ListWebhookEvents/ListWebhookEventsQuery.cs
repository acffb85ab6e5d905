using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.ListWebhookEvents;

/// <summary>Events newest first (or in sequence order), filtered, one page at a time.</summary>
public sealed record ListWebhookEventsQuery(
    WebhookEventFilter Filter, int PageSize, string? PageToken, WebhookEventOrder Order = WebhookEventOrder.NewestFirst)
    : IRequest<Page<WebhookEvent>>;
