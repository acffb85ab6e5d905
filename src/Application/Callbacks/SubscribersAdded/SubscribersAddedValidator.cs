namespace CleanChat.Application.Callbacks.SubscribersAdded;

public sealed class SubscribersAddedValidator : CallbackValidator<SubscribersAdded>
{
    public SubscribersAddedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForOptionalText(c => c.Body.OperatorAccount, "Operator_Account", MaxAccountLength);
        RuleForSubscribeAccountList(c => c.Body.SubscribeAccountList);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
