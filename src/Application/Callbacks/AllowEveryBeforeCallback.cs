namespace CleanChat.Application.Callbacks;

/// <summary>
/// Today's decision for every "before" callback: ErrorCode 0, the action goes ahead, as it would if CleanChat did not
/// answer at all. CleanChat records what was asked and has no rule yet to refuse anything. To refuse, change the
/// method for that callback here: e.g. <c>CallbackAnswer.Allow with { RefusedSubscribers = [...] }</c> to keep some
/// users out, or <c>CallbackAnswer.Refuse(120001, "…")</c> to stop a message.
/// </summary>
public sealed class AllowEveryBeforeCallback : IBeforeCallbackPolicy
{
    public CallbackAnswer Decide(Callback<CreateOfficialAccountRequested.CreateOfficialAccountRequested> request) => CallbackAnswer.Allow;

    public CallbackAnswer Decide(Callback<AddSubscribersRequested.AddSubscribersRequested> request) => CallbackAnswer.Allow;

    public CallbackAnswer Decide(Callback<SendMessageRequested.SendMessageRequested> request) => CallbackAnswer.Allow;
}
