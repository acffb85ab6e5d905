namespace CleanChat.Application.Callbacks.MessagesWithdrawn;

public sealed class MessagesWithdrawnValidator : CallbackValidator<MessagesWithdrawn>
{
    public MessagesWithdrawnValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForList(c => c.Body.WithdrawMsgList, "WithdrawMsgList", (entry, at) => entry switch
        {
            null => $"{at} must be an object.",
            { MsgKey: null or "" } => $"{at}.MsgKey is required.",
            { MsgKey.Length: > MaxAccountLength } => $"{at}.MsgKey must be at most {MaxAccountLength} characters.",
            _ => null,
        });
        RuleForEventTime(c => c.Body.EventTime);
    }
}
