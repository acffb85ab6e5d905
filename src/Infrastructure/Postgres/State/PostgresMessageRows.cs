using CleanChat.Domain.OfficialAccounts;
using Npgsql;
using static CleanChat.Infrastructure.Postgres.State.PostgresParameters;

namespace CleanChat.Infrastructure.Postgres.State;

/// <summary>
/// <c>official_account_messages</c> on PostgreSQL: the part of a <see cref="MessageChange"/>'s or a
/// <see cref="WithdrawalChange"/>'s statement that writes the message rows, only for an inserted event. A send fills
/// the content, a withdraw the withdrawn flag and time; either may come first, and neither undoes the other.
/// </summary>
internal static class PostgresMessageRows
{
    /// <summary>Parameters $33 (MsgKey), $34 (MsgTime, ms), $35 (online-only), $36 (MsgBody), $37 (CloudCustomData).</summary>
    // The newest send for the key decides the content; at the same time, the greater content (compared field by
    // field, an absent value below any present one, text by code point as SQLite does), so arrival order never matters.
    public const string UpsertSent = """
        , message AS (
            INSERT INTO official_account_messages AS m (
                sdk_app_id, official_account, msg_key, msg_time, online_only, msg_body_json, cloud_custom_data, send_event_time, withdrawn)
            SELECT $14, $15, $33, $34, $35, $36, $37, $32, 0 FROM inserted
            ON CONFLICT (sdk_app_id, official_account, msg_key) DO UPDATE SET
                msg_time = excluded.msg_time,
                online_only = excluded.online_only,
                msg_body_json = excluded.msg_body_json,
                cloud_custom_data = excluded.cloud_custom_data,
                send_event_time = excluded.send_event_time
            WHERE (excluded.send_event_time, excluded.msg_time, excluded.online_only,
                   excluded.msg_body_json IS NOT NULL, COALESCE(excluded.msg_body_json, '') COLLATE "C",
                   excluded.cloud_custom_data IS NOT NULL, COALESCE(excluded.cloud_custom_data, '') COLLATE "C")
                > (COALESCE(m.send_event_time, -1), COALESCE(m.msg_time, -1), COALESCE(m.online_only, -1),
                   m.msg_body_json IS NOT NULL, COALESCE(m.msg_body_json, '') COLLATE "C",
                   m.cloud_custom_data IS NOT NULL, COALESCE(m.cloud_custom_data, '') COLLATE "C"))
        """;

    /// <summary>Parameter $33 (the MsgKeys, text[]). Withdrawn for good; the withdraw time is the newest withdraw's.</summary>
    public const string UpsertWithdrawn = """
        , withdrawn AS (
            INSERT INTO official_account_messages AS m (sdk_app_id, official_account, msg_key, withdrawn, withdraw_time)
            SELECT $14, $15, keys.msg_key, 1, $32
            FROM inserted, (SELECT DISTINCT unnest($33::text[]) AS msg_key) AS keys
            ON CONFLICT (sdk_app_id, official_account, msg_key) DO UPDATE SET
                withdrawn = 1,
                withdraw_time = GREATEST(m.withdraw_time, excluded.withdraw_time))
        """;

    public static void Bind(NpgsqlParameterCollection p, MessageChange change)
    {
        p.Add(Text(change.MsgKey));                                // $33
        p.Add(Bigint(change.MsgTime.ToUnixTimeMilliseconds()));
        p.Add(Bigint(change.OnlineOnly));
        p.Add(Text(change.MsgBodyJson));
        p.Add(Text(change.CloudCustomData));                       // $37
    }

    public static void Bind(NpgsqlParameterCollection p, WithdrawalChange change) =>
        p.Add(Texts(change.MsgKeys));                              // $33
}
