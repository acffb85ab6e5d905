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
    DateTimeOffset EventTime);
