using CleanChat.Domain.OfficialAccounts;
using FluentValidation;

namespace CleanChat.Application.Callbacks.MessageSent;

public sealed class MessageSentValidator : CallbackValidator<MessageSent>
{
    public MessageSentValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleFor(c => c.Body.MsgKey)
            .NotEmpty().WithMessage("MsgKey is required.")
            .MaximumLength(MaxAccountLength).WithMessage($"MsgKey must be at most {MaxAccountLength} characters.")
            .OverridePropertyName("MsgKey");
        RuleFor(c => c.Body.MsgTime)
            .NotNull().WithMessage("MsgTime is required.")
            .Must(t => t is null || MessageTimes.IsValid(t.Value)).WithMessage("MsgTime must be a Unix time in seconds (or milliseconds), not negative.")
            .OverridePropertyName("MsgTime");
        RuleForMessageBody(c => c.Body.MsgBody);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
