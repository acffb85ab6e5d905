using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CleanChat.Domain.Events;

/// <summary>
/// Tencent may deliver one callback more than once (retry on timeout). These keys decide what counts as
/// the same delivery, so the log stores it once.
/// </summary>
public static class DeliveryKeys
{
    /// <summary>
    /// For a callback about one account: the same app, command, account and event time is the same event,
    /// whatever else the body says.
    /// </summary>
    /// <remarks>
    /// The event time comes first, zero-padded, so keys sort by time. Events arrive roughly in time order,
    /// so each group commit adds its keys at the end of the unique index, touching a page or two, instead of
    /// one page per event scattered across the index (every touched page is written and synced at commit).
    /// </remarks>
    public static string ForAccountEvent(string sdkAppId, string callbackCommand, string officialAccount, long eventTimeMs) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{eventTimeMs:D15}|{Part(sdkAppId)}{Part(callbackCommand)}{Part(officialAccount)}");

    /// <summary>
    /// For a callback whose body itself tells events apart (a list of subscribers or messages, a profile, a
    /// message's content, and every callback we do not model that carries an event time): the event time, then the
    /// payload key of <see cref="ForPayload"/>. Two events that differ in any byte of the body (two subscriber events
    /// for one account in the same millisecond, say) never share a key; Tencent's redelivery, the same request sent
    /// again, always does.
    /// </summary>
    /// <remarks>
    /// These were keyed by <see cref="ForPayload"/> alone before: the official-account commands until they were
    /// typed (migrations SQLite 0004 and PostgreSQL 0002 put the stored event time in front of their keys), the
    /// untyped callbacks until December 2026 (SQLite 0007, PostgreSQL 0005), so a redelivery of an event stored
    /// before an upgrade is still recognised. The time comes first for the reason given on <see cref="ForAccountEvent"/>.
    /// </remarks>
    public static string ForEventPayload(string sdkAppId, string callbackCommand, long eventTimeMs, string payloadJson) =>
        string.Create(CultureInfo.InvariantCulture, $"{eventTimeMs:D15}|{ForPayload(sdkAppId, callbackCommand, payloadJson)}");

    /// <summary>
    /// For a callback whose shape we do not model and whose body has no event time: only a byte-identical body is the
    /// same delivery. Such keys land at random places in the unique index.
    /// </summary>
    public static string ForPayload(string sdkAppId, string callbackCommand, string payloadJson)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(payloadJson));
        return $"{Part(sdkAppId)}{Part(callbackCommand)}sha256:{Convert.ToHexStringLower(hash)}";
    }

    // Length-prefixed, so no text can move from one part into the next and forge another key.
    private static string Part(string value) => string.Create(CultureInfo.InvariantCulture, $"{value.Length}:{value}|");
}
