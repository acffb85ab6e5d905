namespace CleanChat.Application.Callbacks.OfficialAccountInfoChanged;

public sealed class OfficialAccountInfoChangedValidator : CallbackValidator<OfficialAccountInfoChanged>
{
    public OfficialAccountInfoChangedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForOptionalText(c => c.Body.OperatorAccount, "Operator_Account", MaxAccountLength);
        RuleForOptionalText(c => c.Body.Introduction, "Introduction", MaxProfileTextLength);
        RuleForOptionalText(c => c.Body.Name, "Name", MaxNameLength);
        RuleForOptionalText(c => c.Body.FaceUrl, "FaceUrl", MaxProfileTextLength);
        RuleForOptionalText(c => c.Body.Organization, "Organization", MaxProfileTextLength);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
