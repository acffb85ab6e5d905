namespace CleanChat.Application.Callbacks.CreateOfficialAccountRequested;

public sealed class CreateOfficialAccountRequestedValidator : CallbackValidator<CreateOfficialAccountRequested>
{
    public CreateOfficialAccountRequestedValidator()
    {
        RuleForOptionalText(c => c.Body.OperatorAccount, "Operator_Account", MaxAccountLength);
        RuleForAccount(c => c.Body.OwnerAccount, "Owner_Account");
        RuleForName(c => c.Body.Name);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
