namespace CleanChat.Application.Callbacks.OfficialAccountFull;

public sealed class OfficialAccountFullValidator : CallbackValidator<OfficialAccountFull>
{
    public OfficialAccountFullValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
