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
    public string? OwnerAccount { get; init; }
    public string? Name { get; init; }
    public string? Introduction { get; init; }
    public string? FaceUrl { get; init; }
    public string? Organization { get; init; }
    public bool Full { get; init; }
    public long? LastMessageTime { get; init; }

    // Each field's version is the event's time when the event carries the field, and null (leave it) when not.
    public long? StateTime => State is null ? null : EventTime;
    public long? CreateTime => State == (long)OfficialAccountState.Active ? EventTime : null;
    public long? DestroyTime => State == (long)OfficialAccountState.Destroyed ? EventTime : null;
    public long? OwnerTime => OwnerAccount is null ? null : EventTime;
    public long? NameTime => Name is null ? null : EventTime;
    public long? IntroductionTime => Introduction is null ? null : EventTime;
    public long? FaceUrlTime => FaceUrl is null ? null : EventTime;
    public long? OrganizationTime => Organization is null ? null : EventTime;
    public long? FullTime => Full ? EventTime : null;

    public static AccountRow Of(StateChange change)
    {
        var row = new AccountRow(change.SdkAppId, change.OfficialAccount, change.EventTime.ToUnixTimeMilliseconds());
        return change switch
        {
            AccountChange a => row with
            {
                State = (long?)a.State,
                OwnerAccount = a.OwnerAccount,
                Name = a.Name,
                Introduction = a.Introduction,
                FaceUrl = a.FaceUrl,
                Organization = a.Organization,
                Full = a.Full,
            },
            MessageChange m => row with { LastMessageTime = m.MsgTime.ToUnixTimeMilliseconds() },
            _ => row,
        };
    }
}
