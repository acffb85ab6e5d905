namespace CleanChat.Domain.Callbacks;

/// <summary>
/// The <c>CallbackCommand</c> values Tencent Cloud Chat sends for official accounts.
/// Every enabled callback arrives at the one webhook URL; these name the ones we know.
/// </summary>
public static class CallbackCommands
{
    public const string BeforeCreateOfficialAccount = "OfficialAccount.CallbackBeforeCreateOfficialAccount";
    public const string AfterCreateOfficialAccount = "OfficialAccount.CallbackAfterCreateOfficialAccount";
    public const string AfterOfficialAccountInfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged";
    public const string AfterOfficialAccountDestroyed = "OfficialAccount.CallbackAfterOfficialAccountDestroyed";
    public const string BeforeAddSubscriber = "OfficialAccount.CallbackBeforeAddSubscriber";
    public const string AfterAddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber";
    public const string AfterOfficialAccountFull = "OfficialAccount.CallbackAfterOfficialAccountFull";
    public const string AfterDeleteSubscriber = "OfficialAccount.CallbackAfterDeleteSubscriber";
    public const string BeforeSendMsg = "OfficialAccount.CallbackBeforeSendMsg";
    public const string AfterSendMsg = "OfficialAccount.CallbackAfterSendMsg";
    public const string AfterMsgWithDraw = "OfficialAccount.CallbackAfterMsgWithDraw";

    /// <summary>Longest command name we accept; Tencent's longest is well under it.</summary>
    public const int MaxLength = 128;
}
