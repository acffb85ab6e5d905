using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Dapper;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>
/// Reads the state folded from the official-account callbacks, on either engine: the SQL is common to both. A list's
/// WHERE clause has one constant fragment per filter that is set (<see cref="SqlWhere"/>).
/// </summary>
public sealed class OfficialAccountReader(ISqlConnectionFactory connections) : IOfficialAccountReader
{
    private const string Columns = """
        sdk_app_id AS SdkAppId, official_account AS OfficialAccount, state AS State,
        owner_account AS OwnerAccount, name AS Name, create_time AS CreateTime, destroy_time AS DestroyTime,
        last_event_time AS LastEventTime, last_event_sequence AS LastEventSequence,
        introduction AS Introduction, face_url AS FaceUrl, organization AS Organization, full_time AS FullTime,
        subscriber_count AS SubscriberCount, last_message_time AS LastMessageTime
        """;

    private const string SelectOne = $"""
        SELECT {Columns} FROM official_accounts
        WHERE sdk_app_id = @SdkAppId AND official_account = @OfficialAccount
        """;

    private const string SelectAccounts = $"SELECT {Columns} FROM official_accounts";
    private const string InKeyOrder = "ORDER BY sdk_app_id, official_account LIMIT @Limit";

    // Row values compare (app, account) pairs in key order, so the page continues right after the token's key.
    private const string AfterKey = "(sdk_app_id, official_account) > (@AfterApp, @AfterAccount)";
    private const string SdkAppIdIs = "sdk_app_id = @SdkAppId";
    private const string OwnerAccountIs = "owner_account = @OwnerAccount";
    private const string StateIs = "state = @State";
    private const string DestroyTimeFrom = "destroy_time >= @DestroyTimeStart";
    private const string DestroyTimeUntil = "destroy_time < @DestroyTimeEnd";
    private const string Destroyed = "destroy_time IS NOT NULL";

    // Subscribers in key order: the primary key (app, account, subscriber) serves it; unsubscribed users are skipped.
    private const string SelectSubscribers = """
        SELECT subscriber_account AS SubscriberAccount, change_time AS SubscribeTime
        FROM official_account_subscribers
        """;

    private const string SubscribersOf = "sdk_app_id = @SdkAppId AND official_account = @OfficialAccount AND subscribed = 1";
    private const string AfterSubscriber = "subscriber_account > @AfterSubscriber";
    private const string InSubscriberOrder = "ORDER BY subscriber_account LIMIT @Limit";

    // Messages newest first: the index (app, account, msg_time, msg_key) serves it, read backwards. A message known
    // only from its withdraw (its send has not arrived) has no time yet, and is listed once it has.
    private const string SelectMessages = """
        SELECT msg_key AS MsgKey, msg_time AS MsgTime, online_only AS OnlineOnly, msg_body_json AS MsgBodyJson,
               cloud_custom_data AS CloudCustomData, withdrawn AS Withdrawn, withdraw_time AS WithdrawTime
        FROM official_account_messages
        """;

    private const string MessagesOf = "sdk_app_id = @SdkAppId AND official_account = @OfficialAccount AND msg_time IS NOT NULL";
    private const string BeforeMessage = "(msg_time, msg_key) < (@BeforeTime, @BeforeKey)";
    private const string MsgTimeFrom = "msg_time >= @MsgTimeStart";
    private const string MsgTimeUntil = "msg_time < @MsgTimeEnd";
    private const string NewestMessagesFirst = "ORDER BY msg_time DESC, msg_key DESC LIMIT @Limit";

    public Task<OfficialAccount?> GetAsync(string sdkAppId, string officialAccount, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<OfficialAccountRow>(new CommandDefinition(
                SelectOne, new { SdkAppId = sdkAppId, OfficialAccount = officialAccount }, cancellationToken: cancellationToken));
            return row?.ToDomain();
        });

    public Task<IReadOnlyList<OfficialAccount>> ListAsync(
        OfficialAccountFilter filter, OfficialAccountKey? after, int limit, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<OfficialAccount>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<OfficialAccountRow>(new CommandDefinition(
                ListSql(filter, after is not null), Parameters(filter, after, limit), cancellationToken: cancellationToken));
            return rows.Select(r => r.ToDomain()).ToList();
        });

    /// <summary>The statement a list runs; public so a test can show its query plan.</summary>
    public static string ListSql(OfficialAccountFilter f, bool hasCursor)
    {
        var where = SqlWhere.Of(
            (AfterKey, hasCursor),
            (SdkAppIdIs, f.SdkAppId is not null),
            (OwnerAccountIs, f.OwnerAccount is not null),
            (StateIs, f.State is not null),
            // Any destroy-time range, even an open one, asks for destroyed accounts only.
            (Destroyed, f.DestroyTime is not null && f.DestroyTime.StartMs is null),
            (DestroyTimeFrom, f.DestroyTime?.StartMs is not null),
            (DestroyTimeUntil, f.DestroyTime?.EndMs is not null));
        return $"{SelectAccounts} {where} {InKeyOrder}";
    }

    public static object Parameters(OfficialAccountFilter filter, OfficialAccountKey? after, int limit) => new
    {
        AfterApp = after?.SdkAppId,
        AfterAccount = after?.OfficialAccount,
        filter.SdkAppId,
        filter.OwnerAccount,
        State = (int?)filter.State,
        DestroyTimeStart = filter.DestroyTime?.StartMs,
        DestroyTimeEnd = filter.DestroyTime?.EndMs,
        Limit = limit,
    };

    public Task<IReadOnlyList<OfficialAccountSubscriber>> ListSubscribersAsync(
        OfficialAccountKey account, string? afterSubscriber, int limit, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<OfficialAccountSubscriber>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<SubscriberRow>(new CommandDefinition(
                SubscribersSql(afterSubscriber is not null), SubscriberParameters(account, afterSubscriber, limit),
                cancellationToken: cancellationToken));
            return rows.Select(r => r.ToDomain()).ToList();
        });

    public Task<IReadOnlyList<OfficialAccountMessage>> ListMessagesAsync(
        OfficialAccountMessageFilter filter, OfficialAccountMessageKey? before, int limit, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<OfficialAccountMessage>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<MessageRow>(new CommandDefinition(
                MessagesSql(filter, before is not null), MessageParameters(filter, before, limit), cancellationToken: cancellationToken));
            return rows.Select(r => r.ToDomain()).ToList();
        });

    /// <summary>The statement a subscriber list runs; public so a test can show its query plan.</summary>
    public static string SubscribersSql(bool hasCursor) =>
        $"{SelectSubscribers} {SqlWhere.Of((SubscribersOf, true), (AfterSubscriber, hasCursor))} {InSubscriberOrder}";

    public static object SubscriberParameters(OfficialAccountKey account, string? afterSubscriber, int limit) => new
    {
        account.SdkAppId,
        account.OfficialAccount,
        AfterSubscriber = afterSubscriber,
        Limit = limit,
    };

    /// <summary>The statement a message list runs; public so a test can show its query plan.</summary>
    public static string MessagesSql(OfficialAccountMessageFilter f, bool hasCursor) =>
        $"{SelectMessages} {SqlWhere.Of(
            (MessagesOf, true),
            (BeforeMessage, hasCursor),
            (MsgTimeFrom, f.MsgTime?.StartMs is not null),
            (MsgTimeUntil, f.MsgTime?.EndMs is not null))} {NewestMessagesFirst}";

    public static object MessageParameters(OfficialAccountMessageFilter filter, OfficialAccountMessageKey? before, int limit) => new
    {
        filter.SdkAppId,
        filter.OfficialAccount,
        BeforeTime = before?.MsgTimeMs,
        BeforeKey = before?.MsgKey,
        MsgTimeStart = filter.MsgTime?.StartMs,
        MsgTimeEnd = filter.MsgTime?.EndMs,
        Limit = limit,
    };
}
