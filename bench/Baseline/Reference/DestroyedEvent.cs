using System.Globalization;

namespace CleanChat.Baseline.Reference;

/// <summary>
/// What CleanChat stores for an <c>OfficialAccount.CallbackAfterOfficialAccountDestroyed</c> delivery: the event
/// row's values, from which the account row's are taken (state destroyed, owner and name, all at the event time).
/// </summary>
/// <param name="OptPlatform">
/// Stored in both platform columns: CleanChat stores a normalised name in one and the query's value in the other, and
/// the bench always sends <c>RESTAPI</c>, which is its own normalised name.
/// </param>
internal sealed record DestroyedEvent(
    string SdkAppId,
    string CallbackCommand,
    string OfficialAccount,
    string? OwnerAccount,
    string? Name,
    long EventTime,
    long ReceiveTime,
    string? ClientIp,
    string? OptPlatform,
    string PayloadJson)
{
    /// <summary>The account's state column for destroyed.</summary>
    public const long Destroyed = 2;

    /// <summary>
    /// The shape of CleanChat's key for a callback about one account: the event time zero-padded, then app, command
    /// and account, each length-prefixed. The same shape keeps the unique index the same size and in time order.
    /// </summary>
    public string DeliveryKey { get; } = string.Create(CultureInfo.InvariantCulture,
        $"{EventTime:D15}|{SdkAppId.Length}:{SdkAppId}|{CallbackCommand.Length}:{CallbackCommand}|{OfficialAccount.Length}:{OfficialAccount}|");
}
