using CleanChat.Application.Events.Common;
using FluentValidation;

namespace CleanChat.Application.Events.WatchWebhookEvents;

public sealed class WatchWebhookEventsQueryValidator : AbstractValidator<WatchWebhookEventsQuery>
{
    public WatchWebhookEventsQueryValidator()
    {
        Include(new WebhookEventFilterRules<WatchWebhookEventsQuery>(q => q.Filter));
        RuleFor(q => q.AfterSequence).GreaterThanOrEqualTo(0)
            .WithMessage("after_sequence must not be negative.").OverridePropertyName("after_sequence");
    }
}
