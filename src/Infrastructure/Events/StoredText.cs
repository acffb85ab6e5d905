using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// The one text rule both engines keep: PostgreSQL's text type cannot hold U+0000, so a NUL inside a typed
/// column (a name, an account) is stored as U+FFFD, the replacement character, on every engine alike. The raw
/// body is stored exactly as received: a JSON text never holds a raw NUL, only the escape <c>\u0000</c>.
/// </summary>
internal static class StoredText
{
    private const char Nul = '\0';
    private const char Replacement = '\uFFFD';

    public static WebhookEvent Of(WebhookEvent e) =>
        HasNul(e.SdkAppId) || HasNul(e.CallbackCommand) || HasNul(e.OfficialAccount) || HasNul(e.OwnerAccount)
        || HasNul(e.OperatorAccount) || HasNul(e.Name) || HasNul(e.ClientIp) || HasNul(e.OptPlatform) || HasNul(e.DeliveryKey)
            ? e with
            {
                SdkAppId = Clean(e.SdkAppId),
                CallbackCommand = Clean(e.CallbackCommand),
                OfficialAccount = Clean(e.OfficialAccount),
                OwnerAccount = Clean(e.OwnerAccount),
                OperatorAccount = Clean(e.OperatorAccount),
                Name = Clean(e.Name),
                ClientIp = Clean(e.ClientIp),
                OptPlatform = Clean(e.OptPlatform),
                DeliveryKey = Clean(e.DeliveryKey),
            }
            : e;

    public static OfficialAccountChange? Of(OfficialAccountChange? c) =>
        c is not null && (HasNul(c.SdkAppId) || HasNul(c.OfficialAccountId) || HasNul(c.OwnerAccount) || HasNul(c.Name))
            ? c with
            {
                SdkAppId = Clean(c.SdkAppId),
                OfficialAccountId = Clean(c.OfficialAccountId),
                OwnerAccount = Clean(c.OwnerAccount),
                Name = Clean(c.Name),
            }
            : c;

    private static bool HasNul(string? text) => text is not null && text.Contains(Nul, StringComparison.Ordinal);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    private static string? Clean(string? text) => text?.Replace(Nul, Replacement);
}
