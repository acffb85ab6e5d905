namespace CleanChat.Application.Callbacks.SubscribersDeleted;

public sealed class SubscribersDeletedValidator : CallbackValidator<SubscribersDeleted>
{
    public SubscribersDeletedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForOptionalText(c => c.Body.OperatorAccount, "Operator_Account", MaxAccountLength);
        RuleForSubscribeAccountList(c => c.Body.SubscribeAccountList);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
