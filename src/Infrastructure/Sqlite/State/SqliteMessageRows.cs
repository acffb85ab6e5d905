using CleanChat.Domain.OfficialAccounts;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Sqlite.State;

/// <summary>
/// <c>official_account_messages</c> on SQLite: one row per (account, MsgKey). A send fills its content, a withdraw
/// its withdrawn flag and time; either may come first, and neither undoes the other.
/// </summary>
internal sealed class SqliteMessageRows(SqliteConnection connection) : IDisposable
{
    // The newest send for the key decides the content; at the same time, the greater content (compared field by
    // field, an absent value below any present one), so arrival order never matters.
    private const string UpsertSent = """
        INSERT INTO official_account_messages AS m (
            sdk_app_id, official_account, msg_key, msg_time, online_only, msg_body_json, cloud_custom_data, send_event_time, withdrawn)
        VALUES (@SdkAppId, @OfficialAccount, @MsgKey, @MsgTime, @OnlineOnly, @MsgBodyJson, @CloudCustomData, @EventTime, 0)
        ON CONFLICT (sdk_app_id, official_account, msg_key) DO UPDATE SET
            msg_time = excluded.msg_time,
            online_only = excluded.online_only,
            msg_body_json = excluded.msg_body_json,
            cloud_custom_data = excluded.cloud_custom_data,
            send_event_time = excluded.send_event_time
        WHERE (excluded.send_event_time, excluded.msg_time, excluded.online_only,
               excluded.msg_body_json IS NOT NULL, COALESCE(excluded.msg_body_json, ''),
               excluded.cloud_custom_data IS NOT NULL, COALESCE(excluded.cloud_custom_data, ''))
            > (COALESCE(m.send_event_time, -1), COALESCE(m.msg_time, -1), COALESCE(m.online_only, -1),
               m.msg_body_json IS NOT NULL, COALESCE(m.msg_body_json, ''),
               m.cloud_custom_data IS NOT NULL, COALESCE(m.cloud_custom_data, ''))
        """;

    // Withdrawn for good; the withdraw time is the newest withdraw's.
    private const string UpsertWithdrawn = """
        INSERT INTO official_account_messages AS m (sdk_app_id, official_account, msg_key, withdrawn, withdraw_time)
        VALUES (@SdkAppId, @OfficialAccount, @MsgKey, 1, @WithdrawTime)
        ON CONFLICT (sdk_app_id, official_account, msg_key) DO UPDATE SET
            withdrawn = 1,
            withdraw_time = COALESCE(MAX(m.withdraw_time, excluded.withdraw_time), excluded.withdraw_time)
        """;

    private readonly SqliteStatement _upsertSent = new(connection, UpsertSent);
    private readonly SqliteStatement _upsertWithdrawn = new(connection, UpsertWithdrawn);

    public void Apply(MessageChange change, SqliteTransaction transaction) =>
        _upsertSent
            .Text("@SdkAppId", change.SdkAppId)
            .Text("@OfficialAccount", change.OfficialAccount)
            .Text("@MsgKey", change.MsgKey)
            .Set("@MsgTime", change.MsgTime.ToUnixTimeMilliseconds())
            .Set("@OnlineOnly", change.OnlineOnly)
            .Text("@MsgBodyJson", change.MsgBodyJson)
            .Text("@CloudCustomData", change.CloudCustomData)
            .Set("@EventTime", change.EventTime.ToUnixTimeMilliseconds())
            .Execute(transaction);

    public void Apply(WithdrawalChange change, SqliteTransaction transaction)
    {
        foreach (var msgKey in change.MsgKeys)
        {
            _upsertWithdrawn
                .Text("@SdkAppId", change.SdkAppId)
                .Text("@OfficialAccount", change.OfficialAccount)
                .Text("@MsgKey", msgKey)
                .Set("@WithdrawTime", change.EventTime.ToUnixTimeMilliseconds())
                .Execute(transaction);
        }
    }

    public void Dispose()
    {
        _upsertSent.Dispose();
        _upsertWithdrawn.Dispose();
    }
}
