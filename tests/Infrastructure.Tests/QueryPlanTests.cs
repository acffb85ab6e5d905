using System.Text.Json;
using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.OfficialAccounts;
using CleanChat.TestSupport;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// Every list page reads a bounded number of rows, whatever its filter, on each engine: through an index on the sparse
/// filter it names (an account, an owner), or a window of the log in sequence order, never the whole table. The log
/// holds <see cref="LogRows"/> events, several windows' worth, in which the filters' values are rare or absent: the
/// worst case for a page, which must still stop after a window.
/// </summary>
public abstract class QueryPlanTests(string engine) : IAsyncLifetime
{
    protected const int LogRows = 30_000;
    private const int PageRows = 51;   // a default page, plus the row that tells whether another follows

    private static readonly TimeRange Range = new(DateTimeOffset.FromUnixTimeMilliseconds(1_000), DateTimeOffset.FromUnixTimeMilliseconds(2_000));
    private static readonly TimeRange From = new(DateTimeOffset.FromUnixTimeMilliseconds(1_000), null);

    private StoreFixture _store = null!;

    // In the seeded log every 20th event is "@TOA#_busy"'s and every 25th "busy-owner"'s (each more than a window);
    // nothing has command "c" or
    // platform "iOS"; event and receive times are the row number.
    public static TheoryData<string, WebhookEventFilter> EventFilters => new()
    {
        { "none", new WebhookEventFilter() },
        { "sdk_app_id", new WebhookEventFilter(SdkAppId: Events.App) },
        { "official_account", new WebhookEventFilter(OfficialAccount: "@TOA#_busy") },
        { "official_account, rare", new WebhookEventFilter(OfficialAccount: "@TOA#_a") },
        { "sdk_app_id + official_account", new WebhookEventFilter(SdkAppId: Events.App, OfficialAccount: "@TOA#_busy") },
        { "official_account + callback_command", new WebhookEventFilter(OfficialAccount: "@TOA#_busy", CallbackCommand: "c") },
        { "callback_command", new WebhookEventFilter(CallbackCommand: "c") },
        { "owner_account", new WebhookEventFilter(OwnerAccount: "busy-owner") },
        { "owner_account + opt_platform", new WebhookEventFilter(OwnerAccount: "busy-owner", OptPlatform: "iOS") },
        { "opt_platform", new WebhookEventFilter(OptPlatform: "iOS") },
        { "event_time", new WebhookEventFilter(EventTime: Range) },
        { "event_time from", new WebhookEventFilter(EventTime: From) },
        { "receive_time", new WebhookEventFilter(ReceiveTime: Range) },
        { "sdk_app_id + opt_platform + event_time", new WebhookEventFilter(SdkAppId: Events.App, OptPlatform: "iOS", EventTime: Range) },
        { "everything", new WebhookEventFilter(Events.App, "@TOA#_busy", "c", "busy-owner", "iOS", Range, Range) },
    };

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.StartAsync(engine);
        for (var i = 1; i <= 50; i++)
        {
            var e = Events.Destroyed($"@TOA#_{i % 7}", i);
            await _store.Store.AppendAsync(e, Events.Change(e, OfficialAccountState.Destroyed), CancellationToken.None);
        }

        Fill(_store.Database);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableTheory]
    [MemberData(nameof(EventFilters))]
    public void Reads_a_bounded_number_of_rows_for_a_page_newest_first(string filters, WebhookEventFilter filter) =>
        AssertPageIsBounded(filters, filter, ascending: false);

    [SkippableTheory]
    [MemberData(nameof(EventFilters))]
    public void Reads_a_bounded_number_of_rows_for_an_ascending_page_and_the_watch_backlog(string filters, WebhookEventFilter filter) =>
        AssertPageIsBounded(filters, filter, ascending: true);

    [SkippableFact]
    public void Counts_one_app_in_a_time_range_through_the_event_time_index()
    {
        var filter = new WebhookEventFilter(SdkAppId: Events.App, EventTime: Range);

        // The range holds 1,000 events: stats read those, not the log.
        AssertReadsAtMost(_store.Database, WebhookEventReader.CountSql(filter), WebhookEventReader.Parameters(filter, 0, 0), "webhook_events", 1_000, "stats");
    }

    [SkippableTheory]
    [InlineData("sdk_app_id")]
    [InlineData("owner_account")]
    [InlineData("state")]
    [InlineData("destroy_time")]
    public void Lists_accounts_by_a_filter_through_an_index(string filters)
    {
        var filter = filters switch
        {
            "sdk_app_id" => new OfficialAccountFilter(SdkAppId: Events.App),
            "owner_account" => new OfficialAccountFilter(OwnerAccount: "107867"),
            "state" => new OfficialAccountFilter(State: OfficialAccountState.Destroyed),
            _ => new OfficialAccountFilter(DestroyTime: Range),
        };
        var after = new OfficialAccountKey(Events.App, "@TOA#_1");

        var plan = Plan(_store.Database, OfficialAccountReader.ListSql(filter, hasCursor: true), OfficialAccountReader.Parameters(filter, after, 51));

        AssertSearchesOnly(plan, "official_accounts", filters);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lists_an_accounts_subscribers_through_its_key(bool hasCursor)
    {
        var account = new OfficialAccountKey(Events.App, "@TOA#_1");

        var plan = Plan(_store.Database, OfficialAccountReader.SubscribersSql(hasCursor), OfficialAccountReader.SubscriberParameters(account, hasCursor ? "u1" : null, 51));

        AssertSearchesOnly(plan, "official_account_subscribers", $"cursor {hasCursor}");
    }

    [SkippableTheory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Lists_an_accounts_messages_newest_first_through_an_index(bool hasCursor, bool inRange)
    {
        var filter = new OfficialAccountMessageFilter(Events.App, "@TOA#_1", inRange ? Range : null);
        var before = hasCursor ? new OfficialAccountMessageKey(1_500, "k") : null;

        var plan = Plan(_store.Database, OfficialAccountReader.MessagesSql(filter, hasCursor), OfficialAccountReader.MessageParameters(filter, before, 51));

        AssertSearchesOnly(plan, "official_account_messages", $"cursor {hasCursor}, range {inRange}");
    }

    /// <summary>Adds <see cref="LogRows"/> events straight to the table (see <see cref="EventFilters"/>), then refreshes the planner's statistics.</summary>
    protected abstract void Fill(ITestDatabase database);

    /// <summary>Fails unless running <paramref name="sql"/> reads at most <paramref name="rows"/> rows of <paramref name="table"/>.</summary>
    protected abstract void AssertReadsAtMost(ITestDatabase database, string sql, object parameters, string table, int rows, string what);

    /// <summary>The lines of the query plan for <paramref name="sql"/>.</summary>
    protected abstract List<string> Plan(ITestDatabase database, string sql, object parameters);

    /// <summary>Fails unless every line of <paramref name="plan"/> that reads <paramref name="table"/> goes through an index.</summary>
    protected abstract void AssertSearchesOnly(List<string> plan, string table, string filters);

    /// <summary>
    /// Plans a page as the reader does, from the newest end of the log or from a third of the way into it ascending (a
    /// page with a token), then checks each statement it runs: the window's end on an index reads at most a window of
    /// index entries, and the page itself at most a window of rows.
    /// </summary>
    private void AssertPageIsBounded(string filters, WebhookEventFilter filter, bool ascending)
    {
        var window = WebhookEventReader.Window(PageRows);
        var cursor = ascending ? LogRows / 3 : long.MaxValue;
        var windowed = WebhookEventReader.NeedsWindow(filter);
        if (windowed && WebhookEventReader.IndexedCondition(filter) is not null)
        {
            AssertReadsAtMost(_store.Database, WebhookEventReader.WindowEndSql(filter, ascending),
                WebhookEventReader.Parameters(filter, cursor, PageRows), "webhook_events", window, $"{filters}: the window's end");
        }

        using var connection = Open(_store.Database);
        var page = WebhookEventReader.PlanPageAsync(connection, filter, ascending, cursor, PageRows, CancellationToken.None).GetAwaiter().GetResult();

        // Unwindowed, a page needs only the rows it returns; the planner may still read a dense account's events in log
        // order (PostgreSQL does here), which stops after the page's rows too, a few of them read per row returned.
        AssertReadsAtMost(_store.Database, page.Sql, page.Parameters, "webhook_events", window, filters);
    }

    private static System.Data.Common.DbConnection Open(ITestDatabase database)
    {
        System.Data.Common.DbConnection connection = database.Engine == TestDatabases.Sqlite
            ? new SqliteConnection(database.ConnectionString)
            : new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        connection.Open();
        return connection;
    }
}

/// <summary>
/// SQLite has no count of rows read, so its plan must show the bound: every read of the table is a "SEARCH", never a
/// "SCAN" nor a sort for ORDER BY (which reads every match before the first row comes out); a windowed page's search is bounded on
/// both sides of the sequence; a window's end reads an index on an equality, for at most a window of entries (OFFSET).
/// </summary>
public sealed class SqliteQueryPlanTests() : QueryPlanTests(TestDatabases.Sqlite)
{
    protected override void Fill(ITestDatabase database) => database.Scalar<long>($"""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {LogRows})
        INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, owner_account, event_time, receive_time,
                                    opt_platform, opt_platform_raw, payload_json, delivery_key)
        SELECT '{Events.App}', 'OfficialAccount.CallbackAfterSendMsg',
               CASE WHEN i % 20 = 0 THEN '@TOA#_busy' ELSE '@TOA#_' || (i % 1000) END,
               CASE WHEN i % 25 = 0 THEN 'busy-owner' END, i, i, 'Android', 'Android', 'null', 'seed-' || i
        FROM n;
        SELECT 0;
        """);

    protected override void AssertReadsAtMost(ITestDatabase database, string sql, object parameters, string table, int rows, string what)
    {
        var plan = Plan(database, sql, parameters);
        var reads = plan.Where(d => d.Contains(table, StringComparison.Ordinal)).ToList();
        var message = $"{what}: {string.Join(" | ", plan)}";
        Assert.NotEmpty(reads);
        Assert.All(reads, d => Assert.True(d.StartsWith("SEARCH ", StringComparison.Ordinal), message));
        Assert.DoesNotContain(plan, d => d.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
        if (sql.Contains("@Bound", StringComparison.Ordinal))
        {
            Assert.All(reads, d => Assert.True(d.Contains("rowid>?", StringComparison.Ordinal) && d.Contains("rowid<?", StringComparison.Ordinal), message));
        }
        else if (sql.Contains("OFFSET", StringComparison.Ordinal))
        {
            Assert.All(reads, d => Assert.Matches(@"USING COVERING INDEX \w+ \((official_account|owner_account)=\?", d));
        }
        else if (sql.Contains("GROUP BY", StringComparison.Ordinal))
        {
            Assert.All(reads, d => Assert.Contains("(event_time>? AND event_time<?)", d, StringComparison.Ordinal));
        }
    }

    protected override List<string> Plan(ITestDatabase database, string sql, object parameters)
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        return connection.Query<PlanRow>("EXPLAIN QUERY PLAN " + sql, parameters).Select(r => r.Detail).ToList();
    }

    protected override void AssertSearchesOnly(List<string> plan, string table, string filters)
    {
        var reads = plan.Where(d => d.Contains(table, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, d => Assert.True(d.StartsWith("SEARCH ", StringComparison.Ordinal),
            $"filters '{filters}': {string.Join(" | ", plan)}"));
    }

    private sealed record PlanRow(long Id, long Parent, long Notused, string Detail);
}

/// <summary>
/// PostgreSQL counts what a statement read: EXPLAIN ANALYZE gives each plan node's rows, and those its filter removed.
/// On a table of <see cref="LogRows"/> events with fresh statistics the planner picks what it would in service, and a
/// page must still read no more than its bound, however it is planned.
/// </summary>
public sealed class PostgresQueryPlanTests() : QueryPlanTests(TestDatabases.Postgres)
{
    protected override void Fill(ITestDatabase database) => database.Scalar<long>($"""
        INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, owner_account, event_time, receive_time,
                                    opt_platform, opt_platform_raw, payload_json, delivery_key)
        SELECT '{Events.App}', 'OfficialAccount.CallbackAfterSendMsg',
               CASE WHEN i % 20 = 0 THEN '@TOA#_busy' ELSE '@TOA#_' || (i % 1000) END,
               CASE WHEN i % 25 = 0 THEN 'busy-owner' END, i, i, 'Android', 'Android', 'null', 'seed-' || i
        FROM generate_series(1, {LogRows}) AS i;
        ANALYZE;
        SELECT 0;
        """);

    protected override void AssertReadsAtMost(ITestDatabase database, string sql, object parameters, string table, int rows, string what)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        var json = connection.ExecuteScalar<string>("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, parameters)!;
        using var plan = JsonDocument.Parse(json);
        var read = 0L;
        var scans = 0;
        Visit(plan.RootElement[0].GetProperty("Plan"));
        Assert.True(scans > 0, $"{what}: no read of {table}\n{json}");
        Assert.True(read <= rows, $"{what}: read {read} rows of {table}, more than {rows}\n{json}");

        void Visit(JsonElement node)
        {
            if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == table)
            {
                scans++;
                read += (long)(node.GetProperty("Actual Rows").GetDouble() * node.GetProperty("Actual Loops").GetDouble())
                    + Removed(node, "Rows Removed by Filter") + Removed(node, "Rows Removed by Index Recheck");
            }

            if (node.TryGetProperty("Plans", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    Visit(child);
                }
            }
        }

        static long Removed(JsonElement node, string property) => node.TryGetProperty(property, out var value) ? value.GetInt64() : 0;
    }

    protected override List<string> Plan(ITestDatabase database, string sql, object parameters)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        connection.Open();
        connection.Execute("SET enable_seqscan = off");
        return connection.Query<string>("EXPLAIN " + sql, parameters).ToList();
    }

    protected override void AssertSearchesOnly(List<string> plan, string table, string filters)
    {
        Assert.Contains(plan, line => line.Contains($" on {table}", StringComparison.Ordinal));
        Assert.All(plan, line => Assert.False(line.Contains($"Seq Scan on {table}", StringComparison.Ordinal),
            $"filters '{filters}':\n{string.Join("\n", plan)}"));
    }
}
