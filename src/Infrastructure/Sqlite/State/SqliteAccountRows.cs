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
    private const string Upsert = """
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
            state = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                THEN excluded.state ELSE a.state END,
            destroy_time = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                THEN excluded.destroy_time ELSE a.destroy_time END,
            state_time = CASE WHEN (excluded.state_time, excluded.state) > (COALESCE(a.state_time, -1), a.state)
                THEN excluded.state_time ELSE a.state_time END,
            create_time = COALESCE(MAX(a.create_time, excluded.create_time), a.create_time, excluded.create_time),
            owner_account = CASE WHEN (excluded.owner_time, excluded.owner_account) > (COALESCE(a.owner_time, -1), COALESCE(a.owner_account, ''))
                THEN excluded.owner_account ELSE a.owner_account END,
            owner_time = CASE WHEN (excluded.owner_time, excluded.owner_account) > (COALESCE(a.owner_time, -1), COALESCE(a.owner_account, ''))
                THEN excluded.owner_time ELSE a.owner_time END,
            name = CASE WHEN (excluded.name_time, excluded.name) > (COALESCE(a.name_time, -1), COALESCE(a.name, ''))
                THEN excluded.name ELSE a.name END,
            name_time = CASE WHEN (excluded.name_time, excluded.name) > (COALESCE(a.name_time, -1), COALESCE(a.name, ''))
                THEN excluded.name_time ELSE a.name_time END,
            introduction = CASE WHEN (excluded.introduction_time, excluded.introduction) > (COALESCE(a.introduction_time, -1), COALESCE(a.introduction, ''))
                THEN excluded.introduction ELSE a.introduction END,
            introduction_time = CASE WHEN (excluded.introduction_time, excluded.introduction) > (COALESCE(a.introduction_time, -1), COALESCE(a.introduction, ''))
                THEN excluded.introduction_time ELSE a.introduction_time END,
            face_url = CASE WHEN (excluded.face_url_time, excluded.face_url) > (COALESCE(a.face_url_time, -1), COALESCE(a.face_url, ''))
                THEN excluded.face_url ELSE a.face_url END,
            face_url_time = CASE WHEN (excluded.face_url_time, excluded.face_url) > (COALESCE(a.face_url_time, -1), COALESCE(a.face_url, ''))
                THEN excluded.face_url_time ELSE a.face_url_time END,
            organization = CASE WHEN (excluded.organization_time, excluded.organization) > (COALESCE(a.organization_time, -1), COALESCE(a.organization, ''))
                THEN excluded.organization ELSE a.organization END,
            organization_time = CASE WHEN (excluded.organization_time, excluded.organization) > (COALESCE(a.organization_time, -1), COALESCE(a.organization, ''))
                THEN excluded.organization_time ELSE a.organization_time END,
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
