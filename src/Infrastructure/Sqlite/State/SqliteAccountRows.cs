using CleanChat.Infrastructure.OfficialAccounts;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Sqlite.State;

/// <summary>
/// <c>official_accounts</c> on SQLite: one upsert that every event about an account runs (see <see cref="AccountRow"/>).
/// Each field is last-writer-wins on its own time, so an older event never overwrites what a newer one set, and a
/// tie is settled by value, never by arrival; counters and latest times only move forward.
/// </summary>
internal sealed class SqliteAccountRows(SqliteConnection connection) : IDisposable
{
    // In DO UPDATE, a bare column is the stored row and excluded.* the event's values. A row value compares
    // left to right, so (time, value) > (stored time, stored value) means "newer, or as new and greater"; a NULL
    // time (the event does not carry the field) makes it NULL, and the field is left alone.
    // COALESCE(MAX(a, b), a, b) is the larger of two times where either may be NULL.
    private static readonly string Upsert = $$"""
        INSERT INTO official_accounts AS a (
            sdk_app_id, official_account, state, state_time, create_time, destroy_time,
            owner_account, owner_time, name, name_time, introduction, introduction_time,
            face_url, face_url_time, organization, organization_time, full_time,
            subscriber_count, last_message_time, last_event_time, last_event_sequence)
        VALUES (
            @SdkAppId, @OfficialAccount, COALESCE(@State, 0), @StateTime, @CreateTime, @DestroyTime,
            @OwnerAccount, @OwnerTime, @Name, @NameTime, @Introduction, @IntroductionTime,
            @FaceUrl, @FaceUrlTime, @Organization, @OrganizationTime, @FullTime,
            @SubscriberDelta, @LastMessageTime, @EventTime, @Sequence)
        ON CONFLICT (sdk_app_id, official_account) DO UPDATE SET
            -- The newest create or destroy decides the state; at the same time, destroyed (2) wins over active (1).
            {{NewerState("state")}}
            {{NewerState("destroy_time")}}
            {{NewerState("state_time")}}
            create_time = COALESCE(MAX(a.create_time, excluded.create_time), a.create_time, excluded.create_time),
            {{LastWriterWins("owner_account", "owner_time")}}
            {{LastWriterWins("name", "name_time")}}
            {{LastWriterWins("introduction", "introduction_time")}}
            {{LastWriterWins("face_url", "face_url_time")}}
            {{LastWriterWins("organization", "organization_time")}}
            full_time = COALESCE(MAX(a.full_time, excluded.full_time), a.full_time, excluded.full_time),
            subscriber_count = a.subscriber_count + excluded.subscriber_count,
            last_message_time = COALESCE(MAX(a.last_message_time, excluded.last_message_time), a.last_message_time, excluded.last_message_time),
            -- The newest event about the account; at the same time, the greater delivery key, so the same event
            -- whatever the order they arrived in.
            last_event_sequence = CASE WHEN excluded.last_event_time > a.last_event_time
                OR (excluded.last_event_time = a.last_event_time
                    AND @DeliveryKey > (SELECT delivery_key FROM webhook_events WHERE sequence = a.last_event_sequence))
                THEN excluded.last_event_sequence ELSE a.last_event_sequence END,
            last_event_time = MAX(a.last_event_time, excluded.last_event_time)
        """;

    private readonly SqliteStatement _upsert = new(connection, Upsert);

    /// <summary>
    /// A column that the newest create or destroy decides (the state, its time, the destroy time): the event's value when
    /// its (state time, state) is greater than the stored one's, so at the same time destroyed (2) wins over active (1).
    /// </summary>
    private static string NewerState(string column) =>
        $"{column} = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state) "
        + $"THEN excluded.{column} ELSE a.{column} END,";

    /// <summary>
    /// A text field and the event time that set it, each kept from the newer of the stored row and the event: the
    /// same two assignments for every such field, built here from column names (constants, never input).
    /// </summary>
    private static string LastWriterWins(string field, string time)
    {
        var newer = $"(excluded.{time}, excluded.{field}) > (COALESCE(a.{time}, -1), COALESCE(a.{field}, ''))";
        return $"{field} = CASE WHEN {newer} THEN excluded.{field} ELSE a.{field} END,\n"
            + $"            {time} = CASE WHEN {newer} THEN excluded.{time} ELSE a.{time} END,";
    }

    /// <param name="sequence">The event's place in the log; <paramref name="deliveryKey"/> settles a tie for the newest event.</param>
    /// <param name="subscriberDelta">How many subscribers the event added (or, negative, removed).</param>
    public void Apply(AccountRow row, long sequence, string deliveryKey, long subscriberDelta, SqliteTransaction transaction) =>
        _upsert
            .Text("@SdkAppId", row.SdkAppId)
            .Text("@OfficialAccount", row.OfficialAccount)
            .Set("@State", row.State)
            .Set("@StateTime", row.StateTime)
            .Set("@CreateTime", row.CreateTime)
            .Set("@DestroyTime", row.DestroyTime)
            .Text("@OwnerAccount", row.OwnerAccount)
            .Set("@OwnerTime", row.OwnerTime)
            .Text("@Name", row.Name)
            .Set("@NameTime", row.NameTime)
            .Text("@Introduction", row.Introduction)
            .Set("@IntroductionTime", row.IntroductionTime)
            .Text("@FaceUrl", row.FaceUrl)
            .Set("@FaceUrlTime", row.FaceUrlTime)
            .Text("@Organization", row.Organization)
            .Set("@OrganizationTime", row.OrganizationTime)
            .Set("@FullTime", row.FullTime)
            .Set("@SubscriberDelta", subscriberDelta)
            .Set("@LastMessageTime", row.LastMessageTime)
            .Set("@EventTime", row.EventTime)
            .Set("@Sequence", sequence)
            .Text("@DeliveryKey", deliveryKey)
            .Execute(transaction);

    public void Dispose() => _upsert.Dispose();
}
