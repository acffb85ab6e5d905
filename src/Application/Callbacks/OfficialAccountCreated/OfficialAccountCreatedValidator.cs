using FluentValidation;

namespace CleanChat.Application.Callbacks.OfficialAccountCreated;

public sealed class OfficialAccountCreatedValidator : CallbackValidator<OfficialAccountCreated>
{
    public OfficialAccountCreatedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForAccount(c => c.Body.OwnerAccount, "Owner_Account");
        // Documented, but the account's state does not depend on it: refusing an event without it would lose the account.
        RuleFor(c => c.Body.OperatorAccount)
            .MaximumLength(MaxAccountLength).WithMessage($"Operator_Account must be at most {MaxAccountLength} characters.")
            .OverridePropertyName("Operator_Account");
        RuleFor(c => c.Body.Name)
            .NotNull().WithMessage("Name is required.")
            .MaximumLength(MaxNameLength).WithMessage($"Name must be at most {MaxNameLength} characters.")
            .OverridePropertyName("Name");
        RuleForEventTime(c => c.Body.EventTime);
    }
}
