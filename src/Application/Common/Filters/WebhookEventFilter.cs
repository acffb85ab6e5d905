using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;

namespace CleanChat.Application.Common.Filters;

/// <summary>
/// Filters for listing and following events; a null filter matches everything, every one set must match.
/// <see cref="OptPlatform"/> is the normalised name (see <see cref="OptPlatforms.Name"/>).
/// </summary>
public sealed record WebhookEventFilter(
    string? SdkAppId = null,
    string? OfficialAccount = null,
    string? CallbackCommand = null,
    string? OwnerAccount = null,
    string? OptPlatform = null,
    TimeRange? EventTime = null,
    TimeRange? ReceiveTime = null)
{
    public static WebhookEventFilter All { get; } = new();

    /// <summary>The same test the storage query applies, for events already in memory (the live feed).</summary>
    public bool Matches(WebhookEvent e) =>
        (SdkAppId is null || e.SdkAppId == SdkAppId)
        && (OfficialAccount is null || e.OfficialAccount == OfficialAccount)
        && (CallbackCommand is null || e.CallbackCommand == CallbackCommand)
        && (OwnerAccount is null || e.OwnerAccount == OwnerAccount)
        && (OptPlatform is null || (e.OptPlatform is not null && OptPlatforms.Name(e.Platform) == OptPlatform))
        && (EventTime is null || EventTime.Contains(e.EventTime))
        && (ReceiveTime is null || ReceiveTime.Contains(e.ReceiveTime));
}
