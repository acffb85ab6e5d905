using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>One delivery as Tencent sends it: its command, the account and event time that make its delivery key, and its body.</summary>
public sealed record TencentCallback(string Command, string Account, long EventTime, string Owner, string Name, string Body)
{
    public bool IsCreate => Command == TencentSample.CreateCommand;

    public static TencentCallback Destroyed(string account, long eventTime, string owner = "107867", string name = "TestOfficialAccount") =>
        new(TencentSample.Command, account, eventTime, owner, name, TencentSample.DestroyedBody(account, eventTime, owner, name));

    public static TencentCallback Created(string account, long eventTime, string owner = "107867", string name = "TestOfficialAccount") =>
        new(TencentSample.CreateCommand, account, eventTime, owner, name, TencentSample.CreatedBody(account, eventTime, owner, name));

    public override string ToString() => $"{Command} {Account} at {EventTime}";
}
