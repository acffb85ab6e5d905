namespace CleanChat.Application.Callbacks.SendMessageRequested;

public sealed class SendMessageRequestedValidator : CallbackValidator<SendMessageRequested>
{
    public SendMessageRequestedValidator()
    {
        RuleForOfficialAccount(c => c.Body.OfficialAccount);
        RuleForMessageBody(c => c.Body.MsgBody);
        RuleForEventTime(c => c.Body.EventTime);
    }
}
