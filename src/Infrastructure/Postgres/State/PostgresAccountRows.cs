using CleanChat.Infrastructure.OfficialAccounts;
using Npgsql;
using static CleanChat.Infrastructure.Postgres.State.PostgresParameters;

namespace CleanChat.Infrastructure.Postgres.State;

/// <summary>
/// <c>official_accounts</c> on PostgreSQL: the part of an event's statement that every event about an account has
/// (see <see cref="AccountRow"/>). It runs only for the row the statement inserted (<c>FROM inserted</c>), so a
/// duplicate changes nothing, and takes the subscriber count's change from the <c>subscriber_delta</c> part before it.
/// Each field is last-writer-wins on its own time, so an older event never overwrites what a newer one set, and a tie
/// is settled by value (text compared by code point, as SQLite does), never by arrival.
/// </summary>
internal static class PostgresAccountRows
{
    /// <summary>Parameters $14 to $32: <see cref="Bind"/> adds them in this order.</summary>
    // A row value compares left to right, so (time, value) > (stored time, stored value) means "newer, or as new and
    // greater"; a NULL time (the event does not carry the field) makes it NULL, and the field is left alone.
    public static readonly string Upsert = $$"""
        , account AS (
            INSERT INTO official_accounts AS a (
                sdk_app_id, official_account, state, state_time, create_time, destroy_time,
                owner_account, owner_time, name, name_time, introduction, introduction_time,
                face_url, face_url_time, organization, organization_time, full_time,
                subscriber_count, last_message_time, last_event_time, last_event_sequence)
            SELECT $14, $15, COALESCE($16, 0), $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30,
                   (SELECT subscribers FROM subscriber_delta), $31, $32, sequence
            FROM inserted
            ON CONFLICT (sdk_app_id, official_account) DO UPDATE SET
                -- The newest create or destroy decides the state; at the same time, destroyed (2) wins over active (1).
                {{NewerState("state")}}
                {{NewerState("destroy_time")}}
                {{NewerState("state_time")}}
                create_time = GREATEST(a.create_time, excluded.create_time),
                {{LastWriterWins("owner_account", "owner_time")}}
                {{LastWriterWins("name", "name_time")}}
                {{LastWriterWins("introduction", "introduction_time")}}
                {{LastWriterWins("face_url", "face_url_time")}}
                {{LastWriterWins("organization", "organization_time")}}
                full_time = GREATEST(a.full_time, excluded.full_time),
                subscriber_count = a.subscriber_count + excluded.subscriber_count,
                last_message_time = GREATEST(a.last_message_time, excluded.last_message_time),
                -- The newest event about the account; at the same time, the greater delivery key, so the same event
                -- whatever the order they arrived in.
                last_event_sequence = CASE WHEN excluded.last_event_time > a.last_event_time
                    OR (excluded.last_event_time = a.last_event_time
                        AND $13 COLLATE "C" > (SELECT delivery_key FROM webhook_events WHERE sequence = a.last_event_sequence) COLLATE "C")
                    THEN excluded.last_event_sequence ELSE a.last_event_sequence END,
                last_event_time = GREATEST(a.last_event_time, excluded.last_event_time))
        """;

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
        var newer = $"""(excluded.{time}, excluded.{field} COLLATE "C") > (COALESCE(a.{time}, -1), COALESCE(a.{field}, '') COLLATE "C")""";
        return $"{field} = CASE WHEN {newer} THEN excluded.{field} ELSE a.{field} END,\n"
            + $"                {time} = CASE WHEN {newer} THEN excluded.{time} ELSE a.{time} END,";
    }

    /// <summary>For a change that moves no subscribers: the count's change the upsert reads is 0.</summary>
    public const string NoSubscriberDelta = """
        , subscriber_delta AS (SELECT 0::bigint AS subscribers)
        """;

    public static void Bind(NpgsqlParameterCollection p, AccountRow row)
    {
        p.Add(Text(row.SdkAppId));         // $14
        p.Add(Text(row.OfficialAccount));  // $15
        p.Add(Bigint(row.State));          // $16
        p.Add(Bigint(row.StateTime));
        p.Add(Bigint(row.CreateTime));
        p.Add(Bigint(row.DestroyTime));
        p.Add(Text(row.OwnerAccount));     // $20
        p.Add(Bigint(row.OwnerTime));
        p.Add(Text(row.Name));
        p.Add(Bigint(row.NameTime));
        p.Add(Text(row.Introduction));
        p.Add(Bigint(row.IntroductionTime));
        p.Add(Text(row.FaceUrl));
        p.Add(Bigint(row.FaceUrlTime));
        p.Add(Text(row.Organization));
        p.Add(Bigint(row.OrganizationTime));
        p.Add(Bigint(row.FullTime));       // $30
        p.Add(Bigint(row.LastMessageTime));
        p.Add(Bigint(row.EventTime));      // $32: also the time the change's own rows are written with
    }
}
