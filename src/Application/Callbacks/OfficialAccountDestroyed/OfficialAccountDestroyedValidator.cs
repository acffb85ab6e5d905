namespace CleanChat.Application.Callbacks.OfficialAccountDestroyed;

public sealed class OfficialAccountDestroyedValidator : CallbackValidator<OfficialAccountDestroyed>
{
    public OfficialAccountDestroyedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForAccount(c => c.Body.OwnerAccount, "Owner_Account");
        RuleForName(c => c.Body.Name);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
