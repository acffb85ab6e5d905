using CleanChat.Application.Common.Paging;
using CleanChat.Application.Events.Common;
using FluentValidation;

namespace CleanChat.Application.Events.ListWebhookEvents;

public sealed class ListWebhookEventsQueryValidator : AbstractValidator<ListWebhookEventsQuery>
{
    public ListWebhookEventsQueryValidator()
    {
        Include(new WebhookEventFilterRules<ListWebhookEventsQuery>(q => q.Filter));
        RuleFor(q => q.Order).IsInEnum().WithMessage("order is not a known order.").OverridePropertyName("order");
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.PageToken)
            .Must((q, token) => string.IsNullOrEmpty(token) || ListWebhookEventsQueryHandler.DecodeCursor(q) is not null)
            .WithMessage("page_token is not valid for this query (malformed, or made with other filters or order).")
            .OverridePropertyName("page_token");
    }
}
