using CleanChat.Application.Common.Filters;
using FluentValidation;

namespace CleanChat.Application.Events.GetWebhookEventStats;

public sealed class GetWebhookEventStatsQueryValidator : AbstractValidator<GetWebhookEventStatsQuery>
{
    public GetWebhookEventStatsQueryValidator() => RuleFor(q => q.EventTime).Ordered("event_time");
}
