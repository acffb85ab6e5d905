namespace CleanChat.Application.Callbacks;

/// <summary>
/// The one place that decides Tencent's "before" callbacks: whether an account may be created, which users may
/// subscribe, whether a message may be sent. Each delivery is recorded whatever the decision; the answer is
/// Tencent's <c>ErrorCode</c> (and, for subscribers, the refused users). The default,
/// <see cref="AllowEveryBeforeCallback"/>, lets everything go ahead.
/// </summary>
/// <remarks>Tencent waits at most 2 s for the answer and lets the action go ahead on a timeout, so a decision must be quick.</remarks>
public interface IBeforeCallbackPolicy
{
    CallbackAnswer Decide(Callback<CreateOfficialAccountRequested.CreateOfficialAccountRequested> request);

    CallbackAnswer Decide(Callback<AddSubscribersRequested.AddSubscribersRequested> request);

    CallbackAnswer Decide(Callback<SendMessageRequested.SendMessageRequested> request);
}
