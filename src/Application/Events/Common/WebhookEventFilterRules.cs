using CleanChat.Application.Common.Filters;
using CleanChat.Domain.Callbacks;
using FluentValidation;

namespace CleanChat.Application.Events.Common;

/// <summary>The rules every query taking a <see cref="WebhookEventFilter"/> shares, named by their wire fields.</summary>
public sealed class WebhookEventFilterRules<T> : AbstractValidator<T>
{
    private static readonly string[] Platforms = Enum.GetValues<OptPlatform>().Select(OptPlatforms.Name).ToArray();

    public WebhookEventFilterRules(Func<T, WebhookEventFilter> filter)
    {
        RuleFor(q => filter(q).OptPlatform)
            .Must(p => p is null || Platforms.Contains(p))
            .WithMessage($"opt_platform must be one of {string.Join(", ", Platforms)}.")
            .OverridePropertyName("opt_platform");
        RuleFor(q => filter(q).EventTime).Ordered("event_time");
        RuleFor(q => filter(q).ReceiveTime).Ordered("receive_time");
    }
}
