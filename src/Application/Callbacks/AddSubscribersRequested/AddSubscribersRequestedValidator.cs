namespace CleanChat.Application.Callbacks.AddSubscribersRequested;

public sealed class AddSubscribersRequestedValidator : CallbackValidator<AddSubscribersRequested>
{
    public AddSubscribersRequestedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForOptionalText(c => c.Body.OperatorAccount, "Operator_Account", MaxAccountLength);
        RuleForSubscribeAccountList(c => c.Body.SubscribeAccountList);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
