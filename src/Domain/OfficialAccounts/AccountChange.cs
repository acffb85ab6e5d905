namespace CleanChat.Domain.OfficialAccounts;

/// <summary>
/// Sets the account's own fields. A field left null is one the event does not carry, and stays as it is.
/// Each field keeps the value of the newest event that carried it; at the same time, the greater value wins
/// (text compared by code point; for <see cref="State"/>, destroyed over active).
/// </summary>
public sealed record AccountChange(string SdkAppId, string OfficialAccount, DateTimeOffset EventTime)
    : StateChange(SdkAppId, OfficialAccount, EventTime)
{
    /// <summary>Active (the account was created then) or destroyed; the create or destroy time is <see cref="StateChange.EventTime"/>.</summary>
    public OfficialAccountState? State { get; init; }

    public string? OwnerAccount { get; init; }
    public string? Name { get; init; }
    public string? Introduction { get; init; }
    public string? FaceUrl { get; init; }
    public string? Organization { get; init; }

    /// <summary>Tencent reported the account full (its subscriber limit reached) at <see cref="StateChange.EventTime"/>.</summary>
    public bool Full { get; init; }
}
