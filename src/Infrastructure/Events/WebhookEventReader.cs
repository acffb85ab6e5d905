using System.Data.Common;
using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
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

    // With every event removed by retention, the newest sequence is still known: the one below the floor.
    private const string LastSequence = """
        COALESCE((SELECT MAX(sequence) FROM webhook_events), (SELECT first_sequence - 1 FROM retention_floor WHERE id = 1), 0)
        """;
    private const string SelectLastSequence = $"SELECT {LastSequence}";
    /// <summary>The retention floor: the first sequence the log still holds (1 until retention first runs).</summary>
    internal const string SelectFloor = "SELECT first_sequence FROM retention_floor WHERE id = 1";
    private const string SelectLastAndFloor = $"SELECT {LastSequence} AS Last, ({SelectFloor}) AS Floor";
    private const string SelectEvents = $"SELECT {Columns} FROM webhook_events";
    private const string SelectGroupCounts = """
        SELECT callback_command AS CallbackCommand, opt_platform AS OptPlatform, COUNT(*) AS Count,
               MIN(event_time) AS FirstEventTime, MAX(event_time) AS LastEventTime
        FROM webhook_events
        """;

    private const string Before = "sequence < @Cursor";
    private const string After = "sequence > @Cursor";
    private const string NotBelowFloor = "sequence >= @Bound";
    private const string NotAboveCeiling = "sequence <= @Bound";
    private const string NewestFirst = "ORDER BY sequence DESC LIMIT @Limit";
    private const string OldestFirst = "ORDER BY sequence LIMIT @Limit";
    private const string ByGroup = "GROUP BY callback_command, opt_platform";

    // The far end of a page's window on an index: the window's last entry from the cursor, read from the index alone.
    private const string SelectSequence = "SELECT sequence FROM webhook_events";
    private const string WindowEndNewestFirst = "ORDER BY sequence DESC LIMIT 1 OFFSET @WindowLessOne";
    private const string WindowEndOldestFirst = "ORDER BY sequence LIMIT 1 OFFSET @WindowLessOne";

    private const string SdkAppIdIs = "sdk_app_id = @SdkAppId";
    private const string OfficialAccountIs = "official_account = @OfficialAccount";
    private const string CallbackCommandIs = "callback_command = @CallbackCommand";
    private const string OwnerAccountIs = "owner_account = @OwnerAccount";
    private const string OptPlatformIs = "opt_platform = @OptPlatform";
    private const string EventTimeFrom = "event_time >= @EventTimeStart";
    private const string EventTimeUntil = "event_time < @EventTimeEnd";
    private const string ReceiveTimeFrom = "receive_time >= @ReceiveTimeStart";
    private const string ReceiveTimeUntil = "receive_time < @ReceiveTimeEnd";

    // A list page reads rows in sequence order from its read path, the one index its filter has (an account's or an
    // owner's events) or else the log itself, and stops after a window of them; the rest of the filter is checked on
    // those rows only. Eight rows per row asked keeps a page full for a filter that matches one event in eight (a
    // platform); a sparser one gets short or empty pages, each still bounded.
    private const int MinimumWindow = 4_096;
    private const int WindowPerRow = 8;

    // GetWebhookEvent is the hottest read: each engine runs it the way it reads best.
    private readonly IPointRead<WebhookEventRow> _selectBySequence = connections.CreatePointRead<WebhookEventRow>(SelectEvents, "sequence", r => r.Sequence);

    /// <summary>How many rows of its read path one read of <paramref name="limit"/> events reads at most.</summary>
    public static int Window(int limit) => Math.Max(MinimumWindow, WindowPerRow * limit);

    public Task<long> GetLastSequenceAsync(CancellationToken cancellationToken) => StorageFaults.ReadAsync(async () =>
    {
        await using var connection = await connections.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectLastSequence, cancellationToken: cancellationToken));
    });

    public Task<long> GetFloorAsync(CancellationToken cancellationToken) => StorageFaults.ReadAsync(async () =>
    {
        await using var connection = await connections.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectFloor, cancellationToken: cancellationToken));
    });

    public Task<WebhookEvent?> GetAsync(long sequence, CancellationToken cancellationToken) => StorageFaults.ReadAsync(async () =>
        (await _selectBySequence.ReadAsync(sequence, cancellationToken))?.ToDomain());

    public Task<WebhookEventSlice> ListAsync(
        WebhookEventFilter filter, long beforeSequence, int limit, CancellationToken cancellationToken) =>
        ReadSliceAsync(filter, ascending: false, beforeSequence, limit, cancellationToken);

    public Task<WebhookEventSlice> ListAfterAsync(
        WebhookEventFilter filter, long afterSequence, int limit, CancellationToken cancellationToken) =>
        ReadSliceAsync(filter, ascending: true, afterSequence, limit, cancellationToken);

    public Task<IReadOnlyList<WebhookEventGroupCount>> CountAsync(WebhookEventFilter filter, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<WebhookEventGroupCount>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<GroupCountRow>(new CommandDefinition(
                CountSql(filter), Parameters(filter, 0, 0), cancellationToken: cancellationToken));
            return rows.Select(r => new WebhookEventGroupCount(
                r.CallbackCommand, r.OptPlatform, r.Count, UnixMs.ToTime(r.FirstEventTime), UnixMs.ToTime(r.LastEventTime))).ToList();
        });

    /// <summary>
    /// The statement a list page runs; public so a test can show its query plan. <paramref name="windowed"/>: the page
    /// stops at <c>@Bound</c>, its window's far end (the lowest sequence it may read newest first, the highest ascending).
    /// </summary>
    public static string ListSql(WebhookEventFilter filter, bool ascending, bool windowed) =>
        $"{SelectEvents} {Where(filter, ascending ? After : Before, windowed ? (ascending ? NotAboveCeiling : NotBelowFloor) : null)} " +
        (ascending ? OldestFirst : NewestFirst);

    /// <summary>The statement that finds the far end of a page's window on the filter's index; public for the plan tests.</summary>
    public static string WindowEndSql(WebhookEventFilter filter, bool ascending) =>
        $"{SelectSequence} {SqlWhere.Of((IndexedCondition(filter) ?? string.Empty, true), (ascending ? After : Before, true))} " +
        (ascending ? WindowEndOldestFirst : WindowEndNewestFirst);

    /// <summary>
    /// The condition of the index a list reads for <paramref name="filter"/>: an account's events or an owner's, the sparse
    /// filters (migrations 0005 and 0003). Null: the list reads the log in sequence order.
    /// </summary>
    public static string? IndexedCondition(WebhookEventFilter filter) =>
        filter.OfficialAccount is not null ? OfficialAccountIs : filter.OwnerAccount is not null ? OwnerAccountIs : null;

    /// <summary>Whether the rows of the read path must still be checked against more of the filter, so a page needs a window.</summary>
    public static bool NeedsWindow(WebhookEventFilter f)
    {
        var conditions = new object?[] { f.SdkAppId, f.OfficialAccount, f.CallbackCommand, f.OwnerAccount, f.OptPlatform, f.EventTime, f.ReceiveTime }
            .Count(c => c is not null);
        return conditions > (IndexedCondition(f) is null ? 0 : 1);
    }

    public static string CountSql(WebhookEventFilter filter) => $"{SelectGroupCounts} {Where(filter, null, null)} {ByGroup}";

    /// <param name="bound">The window's far end, for a statement from <see cref="ListSql"/> with <c>windowed</c>.</param>
    public static object Parameters(WebhookEventFilter filter, long cursor, int limit, long bound = 0) => new
    {
        Cursor = cursor,
        Limit = limit,
        Bound = bound,
        WindowLessOne = Window(limit) - 1,
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

    private static string Where(WebhookEventFilter f, string? cursor, string? bound) => SqlWhere.Of(
        (cursor ?? string.Empty, cursor is not null),
        (bound ?? string.Empty, bound is not null),
        (SdkAppIdIs, f.SdkAppId is not null),
        (OfficialAccountIs, f.OfficialAccount is not null),
        (CallbackCommandIs, f.CallbackCommand is not null),
        (OwnerAccountIs, f.OwnerAccount is not null),
        (OptPlatformIs, f.OptPlatform is not null),
        (EventTimeFrom, f.EventTime?.StartMs is not null),
        (EventTimeUntil, f.EventTime?.EndMs is not null),
        (ReceiveTimeFrom, f.ReceiveTime?.StartMs is not null),
        (ReceiveTimeUntil, f.ReceiveTime?.EndMs is not null));

    /// <summary>
    /// One page: the rows of the read path from the cursor on, at most a window of them, checked against the rest of the
    /// filter. A filter that is no more than its read path's own condition (none, an account, an owner) needs no window:
    /// every row read matches, so the page reads only the rows it returns.
    /// </summary>
    private Task<WebhookEventSlice> ReadSliceAsync(
        WebhookEventFilter filter, bool ascending, long cursor, int limit, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var page = await PlanPageAsync(connection, filter, ascending, cursor, limit, cancellationToken);
            var rows = await connection.QueryAsync<WebhookEventRow>(new CommandDefinition(
                page.Sql, page.Parameters, cancellationToken: cancellationToken));
            var events = rows.Select(r => r.ToDomain()).ToList();
            return events.Count == limit ? new WebhookEventSlice(events, events[^1].Sequence, ReachedEnd: false)
                : page.Bound is { } end ? new WebhookEventSlice(events, end, page.BoundIsEnd)
                : new WebhookEventSlice(events, events.Count > 0 ? events[^1].Sequence : page.Cursor, ReachedEnd: true);
        });

    /// <summary>The statement a page runs, with its window; the plan tests run what it returns under EXPLAIN.</summary>
    internal static async Task<PageRead> PlanPageAsync(
        DbConnection connection, WebhookEventFilter filter, bool ascending, long cursor, int limit, CancellationToken cancellationToken)
    {
        long? bound = null;       // the window's far end; null: the read path ends before a window is read
        var boundIsEnd = false;   // the bound is the newest sequence committed when the page was read
        if (NeedsWindow(filter) && IndexedCondition(filter) is not null)
        {
            bound = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                WindowEndSql(filter, ascending), Parameters(filter, cursor, limit), cancellationToken: cancellationToken));
        }
        else if (NeedsWindow(filter))
        {
            // On the log a window is a stretch of sequences, so its end is arithmetic. The newest sequence starts a
            // newest-first walk, and stops an ascending one at what has committed (no later commit is half-read).
            var window = Window(limit);
            // Below the floor retention has removed everything: a walk starts at the floor and stops there, rather
            // than reading empty windows through the removed stretch.
            var (last, floor) = await connection.QuerySingleAsync<(long Last, long Floor)>(new CommandDefinition(
                SelectLastAndFloor, cancellationToken: cancellationToken));
            if (ascending)
            {
                cursor = Math.Max(cursor, floor - 1);
                bound = Math.Max(cursor, Math.Min(last, cursor + window));
                boundIsEnd = bound == Math.Max(cursor, last);
            }
            else
            {
                cursor = Math.Min(cursor, last + 1);
                bound = cursor - window > Math.Max(1, floor) ? cursor - window : null;
            }
        }

        return new PageRead(ListSql(filter, ascending, bound is not null), Parameters(filter, cursor, limit, bound ?? 0), cursor, bound, boundIsEnd);
    }

    internal sealed record PageRead(string Sql, object Parameters, long Cursor, long? Bound, bool BoundIsEnd);

    public void Dispose() => _selectBySequence.Dispose();


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
