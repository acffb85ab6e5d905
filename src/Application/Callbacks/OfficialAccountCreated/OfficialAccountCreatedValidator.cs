namespace CleanChat.Application.Callbacks.OfficialAccountCreated;

public sealed class OfficialAccountCreatedValidator : CallbackValidator<OfficialAccountCreated>
{
    public OfficialAccountCreatedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForAccount(c => c.Body.OwnerAccount, "Owner_Account");
        RuleForOptionalText(c => c.Body.OperatorAccount, "Operator_Account", MaxAccountLength);
        RuleForName(c => c.Body.Name);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
