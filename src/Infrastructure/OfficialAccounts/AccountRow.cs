using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>
/// What one event writes to its account's row in <c>official_accounts</c>, whatever its change type, as the values
/// both engines bind (times in Unix ms). Every event about an account writes this row: its own fields for an
/// <see cref="AccountChange"/>, the newest message time for a <see cref="MessageChange"/>, and for every one the
/// newest event about the account. A field the event does not carry is null, with a null time, and stays as it is.
/// Each field that is set carries the event's time, the version the engines' upserts compare.
/// </summary>
internal sealed record AccountRow(string SdkAppId, string OfficialAccount, long EventTime)
{
    public long? State { get; init; }
    public long? StateTime { get; init; }
    public long? CreateTime { get; init; }
    public long? DestroyTime { get; init; }
    public string? OwnerAccount { get; init; }
    public long? OwnerTime { get; init; }
    public string? Name { get; init; }
    public long? NameTime { get; init; }
    public string? Introduction { get; init; }
    public long? IntroductionTime { get; init; }
    public string? FaceUrl { get; init; }
    public long? FaceUrlTime { get; init; }
    public string? Organization { get; init; }
    public long? OrganizationTime { get; init; }
    public long? FullTime { get; init; }
    public long? LastMessageTime { get; init; }

    public static AccountRow Of(StateChange change)
    {
        var at = change.EventTime.ToUnixTimeMilliseconds();
        var row = new AccountRow(change.SdkAppId, change.OfficialAccount, at);
        return change switch
        {
            AccountChange a => row with
            {
                State = (long?)a.State,
                StateTime = a.State is null ? null : at,
                CreateTime = a.State == OfficialAccountState.Active ? at : null,
                DestroyTime = a.State == OfficialAccountState.Destroyed ? at : null,
                OwnerAccount = a.OwnerAccount,
                OwnerTime = a.OwnerAccount is null ? null : at,
                Name = a.Name,
                NameTime = a.Name is null ? null : at,
                Introduction = a.Introduction,
                IntroductionTime = a.Introduction is null ? null : at,
                FaceUrl = a.FaceUrl,
                FaceUrlTime = a.FaceUrl is null ? null : at,
                Organization = a.Organization,
                OrganizationTime = a.Organization is null ? null : at,
                FullTime = a.Full ? at : null,
            },
            MessageChange m => row with { LastMessageTime = m.MsgTime.ToUnixTimeMilliseconds() },
            _ => row,
        };
    }
}
