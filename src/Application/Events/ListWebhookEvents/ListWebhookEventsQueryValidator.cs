using CleanChat.Application.Common.Paging;
using FluentValidation;

namespace CleanChat.Application.Events.ListWebhookEvents;

public sealed class ListWebhookEventsQueryValidator : AbstractValidator<ListWebhookEventsQuery>
{
    public ListWebhookEventsQueryValidator()
    {
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.PageToken)
            .Must((q, token) => string.IsNullOrEmpty(token) || ListWebhookEventsQueryHandler.DecodeCursor(q) is not null)
            .WithMessage("page_token is not valid for this query (malformed, or made with other filters).")
            .OverridePropertyName("page_token");
    }
}
