namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// The state an official account moves to because of one callback. Applied only when
/// <see cref="EventTime"/> is not older than what is stored, so a late delivery never undoes newer state.
/// </summary>
public sealed record OfficialAccountChange(
    string SdkAppId,
    string OfficialAccountId,
    OfficialAccountState State,
    string? OwnerAccount,
    string? Name,
    DateTimeOffset EventTime)
{
    /// <summary>The state <paramref name="webhookEvent"/> moves its account to, with the owner and name it carries.</summary>
    public static OfficialAccountChange To(OfficialAccountState state, Events.WebhookEvent webhookEvent) => new(
        webhookEvent.SdkAppId,
        webhookEvent.OfficialAccount ?? throw new ArgumentException("The event names no official account.", nameof(webhookEvent)),
        state,
        webhookEvent.OwnerAccount,
        webhookEvent.Name,
        webhookEvent.EventTime ?? throw new ArgumentException("The event has no event time.", nameof(webhookEvent)));
}
