using CleanChat.TestSupport;

namespace CleanChat.Infrastructure.Tests.Fold;

/// <summary>
/// Every row of state one app holds, as stored (including unsubscribed users and messages known only from a
/// withdraw), with the newest event about each account named by its delivery key rather than its sequence, which
/// depends on arrival order.
/// </summary>
internal sealed record FoldedState(IReadOnlyList<AccountState> Accounts, IReadOnlyList<SubscriberState> Subscribers, IReadOnlyList<MessageState> Messages)
{
    private const string SelectAccounts = """
        SELECT a.official_account AS Account, a.state AS State, a.state_time AS StateTime, a.create_time AS CreateTime,
               a.destroy_time AS DestroyTime, a.owner_account AS OwnerAccount, a.owner_time AS OwnerTime, a.name AS Name,
               a.name_time AS NameTime, a.introduction AS Introduction, a.introduction_time AS IntroductionTime,
               a.face_url AS FaceUrl, a.face_url_time AS FaceUrlTime, a.organization AS Organization,
               a.organization_time AS OrganizationTime, a.full_time AS FullTime, a.subscriber_count AS SubscriberCount,
               a.last_message_time AS LastMessageTime, a.last_event_time AS LastEventTime, e.delivery_key AS LastEventKey
        FROM official_accounts a JOIN webhook_events e ON e.sequence = a.last_event_sequence
        WHERE a.sdk_app_id = @App
        ORDER BY a.official_account
        """;

    private const string SelectSubscribers = """
        SELECT official_account AS Account, subscriber_account AS Subscriber, subscribed AS Subscribed, change_time AS ChangeTime
        FROM official_account_subscribers WHERE sdk_app_id = @App
        ORDER BY official_account, subscriber_account
        """;

    private const string SelectMessages = """
        SELECT official_account AS Account, msg_key AS MsgKey, msg_time AS MsgTime, online_only AS OnlineOnly,
               msg_body_json AS MsgBodyJson, cloud_custom_data AS CloudCustomData, send_event_time AS SendEventTime,
               withdrawn AS Withdrawn, withdraw_time AS WithdrawTime
        FROM official_account_messages WHERE sdk_app_id = @App
        ORDER BY official_account, msg_key
        """;

    public static FoldedState Read(ITestDatabase database, string app) => new(
        Sorted(database.Rows<AccountState>(SelectAccounts, new { App = app }), a => a.Account),
        Sorted(database.Rows<SubscriberState>(SelectSubscribers, new { App = app }), s => s.Account + "\n" + s.Subscriber),
        Sorted(database.Rows<MessageState>(SelectMessages, new { App = app }), m => m.Account + "\n" + m.MsgKey));

    /// <summary>In ordinal order whatever the database's collation, so two states compare row by row.</summary>
    public static List<T> Sorted<T>(IEnumerable<T> rows, Func<T, string> key) => [.. rows.OrderBy(key, StringComparer.Ordinal)];

    /// <summary>The first row that differs from <paramref name="other"/>, or null when the states are equal.</summary>
    public string? FirstDifference(FoldedState other) =>
        Difference("account", Accounts, other.Accounts) ?? Difference("subscriber", Subscribers, other.Subscribers)
        ?? Difference("message", Messages, other.Messages);

    private static string? Difference<T>(string kind, IReadOnlyList<T> expected, IReadOnlyList<T> actual)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : default;
            var a = i < actual.Count ? actual[i] : default;
            if (!Equals(e, a))
            {
                return $"{kind} row {i}:\n  expected {e?.ToString() ?? "none"}\n  actual   {a?.ToString() ?? "none"}";
            }
        }

        return null;
    }
}

internal sealed record AccountState(
    string Account, long State, long? StateTime, long? CreateTime, long? DestroyTime, string? OwnerAccount, long? OwnerTime,
    string? Name, long? NameTime, string? Introduction, long? IntroductionTime, string? FaceUrl, long? FaceUrlTime,
    string? Organization, long? OrganizationTime, long? FullTime, long SubscriberCount, long? LastMessageTime,
    long LastEventTime, string LastEventKey);

internal sealed record SubscriberState(string Account, string Subscriber, long Subscribed, long ChangeTime);

internal sealed record MessageState(
    string Account, string MsgKey, long? MsgTime, long? OnlineOnly, string? MsgBodyJson, string? CloudCustomData,
    long? SendEventTime, long Withdrawn, long? WithdrawTime);
