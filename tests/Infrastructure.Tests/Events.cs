using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.Tests;

/// <summary>Domain values for storage tests.</summary>
internal static class Events
{
    public const string App = "1400000000";

    public static WebhookEvent Destroyed(string account, long eventTimeMs, string? name = "TestOfficialAccount") => new()
    {
        SdkAppId = App,
        CallbackCommand = CallbackCommands.AfterOfficialAccountDestroyed,
        OfficialAccount = account,
        OwnerAccount = "107867",
        Name = name,
        EventTime = DateTimeOffset.FromUnixTimeMilliseconds(eventTimeMs),
        ReceiveTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
        ClientIp = "127.0.0.1",
        OptPlatform = "IOS",
        PayloadJson = $$"""{"Official_Account":"{{account}}","EventTime":{{eventTimeMs}}}""",
        DeliveryKey = DeliveryKeys.ForAccountEvent(App, CallbackCommands.AfterOfficialAccountDestroyed, account, eventTimeMs),
    };

    /// <summary>The account change a create or destroy callback makes: the state, with the event's owner and name.</summary>
    public static AccountChange Change(WebhookEvent e, OfficialAccountState state) =>
        new(e.SdkAppId, e.OfficialAccount!, e.EventTime!.Value) { State = state, OwnerAccount = e.OwnerAccount, Name = e.Name };
}
