namespace CleanChat.Application.Callbacks;

/// <summary>
/// What Tencent is answered for a delivery that was recorded (always <c>ActionStatus</c> OK, as Tencent's samples
/// show). For an "after" callback Tencent ignores it. For a "before" callback it is the decision:
/// <see cref="ErrorCode"/> 0 lets the action go ahead, 1 refuses it, and a code in [120001, 130000] refuses it with
/// the app's own <see cref="ErrorInfo"/> (60795, 60803). <see cref="IBeforeCallbackPolicy"/> makes the decision.
/// </summary>
public sealed record CallbackAnswer(int ErrorCode, string ErrorInfo)
{
    /// <summary>ErrorCode 0: for a "before" callback, let the action go ahead.</summary>
    public static CallbackAnswer Allow { get; } = new(0, string.Empty);

    /// <summary>Refuses a "before" callback's action; Tencent passes a code in [120001, 130000] and the text on to the caller.</summary>
    public static CallbackAnswer Refuse(int errorCode = 1, string errorInfo = "") => new(errorCode, errorInfo);

    /// <summary>
    /// For <c>CallbackBeforeAddSubscriber</c> with <see cref="ErrorCode"/> 0: these users are not added and the
    /// others are (Tencent's <c>RefusedSubscribers_Account</c>, 60799).
    /// </summary>
    public IReadOnlyList<string>? RefusedSubscribers { get; init; }

    /// <summary>True for the plain OK every "after" callback gets, which the webhook sends pre-serialised.</summary>
    public bool IsPlainOk => ErrorCode == 0 && ErrorInfo.Length == 0 && RefusedSubscribers is null;
}
