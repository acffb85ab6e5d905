using FluentValidation;

namespace CleanChat.Application.Callbacks.OfficialAccountDestroyed;

public sealed class OfficialAccountDestroyedValidator : CallbackValidator<OfficialAccountDestroyed>
{
    public OfficialAccountDestroyedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForAccount(c => c.Body.OwnerAccount, "Owner_Account");
        RuleFor(c => c.Body.Name)
            .NotNull().WithMessage("Name is required.")
            .MaximumLength(MaxNameLength).WithMessage($"Name must be at most {MaxNameLength} characters.")
            .OverridePropertyName("Name");
        RuleForEventTime(c => c.Body.EventTime);
    }
}
