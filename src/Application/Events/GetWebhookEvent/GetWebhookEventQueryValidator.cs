using FluentValidation;

namespace CleanChat.Application.Events.GetWebhookEvent;

public sealed class GetWebhookEventQueryValidator : AbstractValidator<GetWebhookEventQuery>
{
    public GetWebhookEventQueryValidator() =>
        RuleFor(q => q.Sequence).GreaterThan(0).WithMessage("sequence must be positive.").OverridePropertyName("sequence");
}
