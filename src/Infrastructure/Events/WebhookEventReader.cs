using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Persistence;
using Dapper;

namespace CleanChat.Infrastructure.Events;

/// <summary>Reads the log, on either engine: the SQL is common to both. A query's WHERE clause has one constant fragment per filter that is set (<see cref="SqlWhere"/>).</summary>
public sealed class WebhookEventReader(ISqlConnectionFactory connections) : IWebhookEventReader, IDisposable
{
    internal const string Columns = """
        sequence AS Sequence, sdk_app_id AS SdkAppId, callback_command AS CallbackCommand,
        official_account AS OfficialAccount, owner_account AS OwnerAccount, operator_account AS OperatorAccount,
        name AS Name, event_time AS EventTime, receive_time AS ReceiveTime, client_ip AS ClientIp,
        opt_platform_raw AS OptPlatform, payload_json AS PayloadJson, delivery_key AS DeliveryKey
        """;

    private const string SelectLastSequence = "SELECT COALESCE(MAX(sequence), 0) FROM webhook_events";
    private const string SelectBySequence = $"SELECT {Columns} FROM webhook_events WHERE sequence = @Sequence";
    private const string SelectEvents = $"SELECT {Columns} FROM webhook_events";
    private const string SelectGroupCounts = """
        SELECT callback_command AS CallbackCommand, opt_platform AS OptPlatform, COUNT(*) AS Count,
               MIN(event_time) AS FirstEventTime, MAX(event_time) AS LastEventTime
        FROM webhook_events
        """;

    private const string Before = "sequence < @Cursor";
    private const string After = "sequence > @Cursor";
    private const string NewestFirst = "ORDER BY sequence DESC LIMIT @Limit";
    private const string OldestFirst = "ORDER BY sequence LIMIT @Limit";
    private const string ByGroup = "GROUP BY callback_command, opt_platform";

    private const string SdkAppIdIs = "sdk_app_id = @SdkAppId";
    private const string OfficialAccountIs = "official_account = @OfficialAccount";
    private const string CallbackCommandIs = "callback_command = @CallbackCommand";
    private const string OwnerAccountIs = "owner_account = @OwnerAccount";
    private const string OptPlatformIs = "opt_platform = @OptPlatform";
    private const string EventTimeFrom = "event_time >= @EventTimeStart";
    private const string EventTimeUntil = "event_time < @EventTimeEnd";
    private const string ReceiveTimeFrom = "receive_time >= @ReceiveTimeStart";
    private const string ReceiveTimeUntil = "receive_time < @ReceiveTimeEnd";

    // GetWebhookEvent is the hottest read: its statement stays prepared.
    private readonly PreparedRead<WebhookEventRow> _selectBySequence = new(connections, SelectBySequence, "@Sequence");

    public Task<long> GetLastSequenceAsync(CancellationToken cancellationToken) => StorageFaults.ReadAsync(async () =>
    {
        await using var connection = await connections.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectLastSequence, cancellationToken: cancellationToken));
    });

    public Task<WebhookEvent?> GetAsync(long sequence, CancellationToken cancellationToken) =>
        Task.FromResult(StorageFaults.Read(() => _selectBySequence.QueryFirstOrDefault(sequence, cancellationToken))?.ToDomain());

    public Task<IReadOnlyList<WebhookEvent>> ListAsync(
        WebhookEventFilter filter, long beforeSequence, int limit, CancellationToken cancellationToken) =>
        QueryAsync(ListSql(filter, Before, NewestFirst), filter, beforeSequence, limit, cancellationToken);

    public Task<IReadOnlyList<WebhookEvent>> ListAfterAsync(
        WebhookEventFilter filter, long afterSequence, int limit, CancellationToken cancellationToken) =>
        QueryAsync(ListSql(filter, After, OldestFirst), filter, afterSequence, limit, cancellationToken);

    public Task<IReadOnlyList<WebhookEventGroupCount>> CountAsync(WebhookEventFilter filter, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<WebhookEventGroupCount>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<GroupCountRow>(new CommandDefinition(
                CountSql(filter), Parameters(filter, 0, 0), cancellationToken: cancellationToken));
            return rows.Select(r => new WebhookEventGroupCount(
                r.CallbackCommand, r.OptPlatform, r.Count, FromMs(r.FirstEventTime), FromMs(r.LastEventTime))).ToList();
        });

    /// <summary>The statement a list runs; public so a test can show its query plan.</summary>
    public static string ListSql(WebhookEventFilter filter, bool ascending) =>
        ascending ? ListSql(filter, After, OldestFirst) : ListSql(filter, Before, NewestFirst);

    public static string CountSql(WebhookEventFilter filter) => $"{SelectGroupCounts} {Where(filter, null)} {ByGroup}";

    public static object Parameters(WebhookEventFilter filter, long cursor, int limit) => new
    {
        Cursor = cursor,
        Limit = limit,
        filter.SdkAppId,
        filter.OfficialAccount,
        filter.CallbackCommand,
        filter.OwnerAccount,
        filter.OptPlatform,
        EventTimeStart = filter.EventTime?.StartMs,
        EventTimeEnd = filter.EventTime?.EndMs,
        ReceiveTimeStart = filter.ReceiveTime?.StartMs,
        ReceiveTimeEnd = filter.ReceiveTime?.EndMs,
    };

    private static string ListSql(WebhookEventFilter filter, string cursor, string order) =>
        $"{SelectEvents} {Where(filter, cursor)} {order}";

    private static string Where(WebhookEventFilter f, string? cursor) => SqlWhere.Of(
        (cursor ?? string.Empty, cursor is not null),
        (SdkAppIdIs, f.SdkAppId is not null),
        (OfficialAccountIs, f.OfficialAccount is not null),
        (CallbackCommandIs, f.CallbackCommand is not null),
        (OwnerAccountIs, f.OwnerAccount is not null),
        (OptPlatformIs, f.OptPlatform is not null),
        (EventTimeFrom, f.EventTime?.StartMs is not null),
        (EventTimeUntil, f.EventTime?.EndMs is not null),
        (ReceiveTimeFrom, f.ReceiveTime?.StartMs is not null),
        (ReceiveTimeUntil, f.ReceiveTime?.EndMs is not null));

    private Task<IReadOnlyList<WebhookEvent>> QueryAsync(
        string sql, WebhookEventFilter filter, long cursor, int limit, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<WebhookEvent>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<WebhookEventRow>(
                new CommandDefinition(sql, Parameters(filter, cursor, limit), cancellationToken: cancellationToken));
            return rows.Select(r => r.ToDomain()).ToList();
        });

    public void Dispose() => _selectBySequence.Dispose();

    private static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    // Settable properties rather than a constructor: on an empty result SQLite cannot type the aggregate
    // columns, and Dapper matches constructors by column type.
    private sealed class GroupCountRow
    {
        public string CallbackCommand { get; init; } = string.Empty;
        public string? OptPlatform { get; init; }
        public long Count { get; init; }
        public long? FirstEventTime { get; init; }
        public long? LastEventTime { get; init; }
    }
}
