using CleanChat.Domain.OfficialAccounts;
using Npgsql;
using static CleanChat.Infrastructure.Postgres.State.PostgresParameters;

namespace CleanChat.Infrastructure.Postgres.State;

/// <summary>
/// <c>official_account_subscribers</c> on PostgreSQL: the part of a <see cref="SubscriberChange"/>'s statement that
/// writes one row per listed user, only for an inserted event. A user who unsubscribed keeps a row, so an older
/// subscribe arriving later cannot bring them back. It ends with <c>subscriber_delta</c>: how many users became
/// subscribers less how many stopped, read from the rows before and after (the statement's snapshot is taken before
/// any of its parts writes), which the account's part adds to its count.
/// </summary>
internal static class PostgresSubscriberRows
{
    /// <summary>Parameters $33 (the users, text[]) and $34 (1 subscribed, 0 unsubscribed).</summary>
    // The newest event decides; at the same time an unsubscribe (rank 1) wins over a subscribe (rank 0).
    public const string Upsert = """
        , listed AS (SELECT DISTINCT unnest($33::text[]) AS subscriber_account FROM inserted)
        , before AS (
            SELECT s.subscriber_account, s.subscribed FROM official_account_subscribers s
            WHERE s.sdk_app_id = $14 AND s.official_account = $15
              AND s.subscriber_account IN (SELECT subscriber_account FROM listed))
        , changed AS (
            INSERT INTO official_account_subscribers AS s (sdk_app_id, official_account, subscriber_account, subscribed, change_time)
            SELECT $14, $15, subscriber_account, $34, $32 FROM listed
            ON CONFLICT (sdk_app_id, official_account, subscriber_account) DO UPDATE SET
                subscribed = excluded.subscribed,
                change_time = excluded.change_time
            WHERE (excluded.change_time, 1 - excluded.subscribed) > (s.change_time, 1 - s.subscribed)
            RETURNING s.subscriber_account, s.subscribed)
        , subscriber_delta AS (
            SELECT COALESCE(SUM(c.subscribed - COALESCE(b.subscribed, 0)), 0)::bigint AS subscribers
            FROM changed c LEFT JOIN before b ON b.subscriber_account = c.subscriber_account)
        """;

    public static void Bind(NpgsqlParameterCollection p, SubscriberChange change)
    {
        p.Add(Texts(change.SubscriberAccounts)); // $33
        p.Add(Bigint(change.Subscribed));        // $34
    }
}
