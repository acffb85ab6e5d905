using CleanChat.Domain.OfficialAccounts;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Sqlite.State;

/// <summary>
/// <c>official_account_subscribers</c> on SQLite: one row per (account, user) ever named, subscribed or not, so an
/// older subscribe arriving after an unsubscribe cannot bring the user back.
/// </summary>
internal sealed class SqliteSubscriberRows(SqliteConnection connection) : IDisposable
{
    private const string SelectSubscribed = """
        SELECT subscribed FROM official_account_subscribers
        WHERE sdk_app_id = @SdkAppId AND official_account = @OfficialAccount AND subscriber_account = @SubscriberAccount
        """;

    // The newest event decides; at the same time an unsubscribe (rank 1) wins over a subscribe (rank 0).
    // RETURNING yields a row only when the row was inserted or changed.
    private const string Upsert = """
        INSERT INTO official_account_subscribers AS s (sdk_app_id, official_account, subscriber_account, subscribed, change_time)
        VALUES (@SdkAppId, @OfficialAccount, @SubscriberAccount, @Subscribed, @ChangeTime)
        ON CONFLICT (sdk_app_id, official_account, subscriber_account) DO UPDATE SET
            subscribed = excluded.subscribed,
            change_time = excluded.change_time
        WHERE (excluded.change_time, 1 - excluded.subscribed) > (s.change_time, 1 - s.subscribed)
        RETURNING subscribed
        """;

    private readonly SqliteStatement _selectSubscribed = new(connection, SelectSubscribed);
    private readonly SqliteStatement _upsert = new(connection, Upsert);

    /// <returns>How many of the users became subscribers, less how many stopped being.</returns>
    public long Apply(SubscriberChange change, SqliteTransaction transaction)
    {
        var delta = 0L;
        var changeTime = change.EventTime.ToUnixTimeMilliseconds();
        foreach (var subscriber in change.SubscriberAccounts)
        {
            var before = _selectSubscribed
                .Text("@SdkAppId", change.SdkAppId)
                .Text("@OfficialAccount", change.OfficialAccount)
                .Text("@SubscriberAccount", subscriber)
                .Scalar(transaction) ?? 0;
            var after = _upsert
                .Text("@SdkAppId", change.SdkAppId)
                .Text("@OfficialAccount", change.OfficialAccount)
                .Text("@SubscriberAccount", subscriber)
                .Set("@Subscribed", change.Subscribed)
                .Set("@ChangeTime", changeTime)
                .Scalar(transaction);
            delta += after is { } now ? now - before : 0;
        }

        return delta;
    }

    public void Dispose()
    {
        _selectSubscribed.Dispose();
        _upsert.Dispose();
    }
}
