using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.OfficialAccounts;
using CleanChat.TestSupport;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// Every filtered read must find its rows through an index, never by reading the whole table, on each engine.
/// </summary>
public abstract class QueryPlanTests(string engine) : IAsyncLifetime
{
    private static readonly TimeRange Range = new(DateTimeOffset.FromUnixTimeMilliseconds(1_000), DateTimeOffset.FromUnixTimeMilliseconds(2_000));
    private static readonly TimeRange From = new(DateTimeOffset.FromUnixTimeMilliseconds(1_000), null);

    private StoreFixture _store = null!;

    public static TheoryData<string, WebhookEventFilter> EventFilters => new()
    {
        { "none", new WebhookEventFilter() },
        { "sdk_app_id", new WebhookEventFilter(SdkAppId: Events.App) },
        { "official_account", new WebhookEventFilter(OfficialAccount: "@TOA#_a") },
        { "sdk_app_id + official_account", new WebhookEventFilter(SdkAppId: Events.App, OfficialAccount: "@TOA#_a") },
        { "callback_command", new WebhookEventFilter(CallbackCommand: "c") },
        { "owner_account", new WebhookEventFilter(OwnerAccount: "107867") },
        { "opt_platform", new WebhookEventFilter(OptPlatform: "iOS") },
        { "event_time", new WebhookEventFilter(EventTime: Range) },
        { "event_time from", new WebhookEventFilter(EventTime: From) },
        { "receive_time", new WebhookEventFilter(ReceiveTime: Range) },
        { "everything", new WebhookEventFilter(Events.App, "@TOA#_a", "c", "107867", "iOS", Range, Range) },
    };

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.StartAsync(engine);
        for (var i = 1; i <= 50; i++)
        {
            var e = Events.Destroyed($"@TOA#_{i % 7}", i);
            await _store.Store.AppendAsync(e, Events.Change(e, OfficialAccountState.Destroyed), CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableTheory]
    [MemberData(nameof(EventFilters))]
    public void Lists_events_newest_first_through_an_index(string filters, WebhookEventFilter filter)
    {
        var plan = Plan(WebhookEventReader.ListSql(filter, ascending: false), WebhookEventReader.Parameters(filter, long.MaxValue, 51));

        AssertSearchesOnly(plan, "webhook_events", filters);
    }

    [SkippableTheory]
    [MemberData(nameof(EventFilters))]
    public void Reads_the_watch_backlog_and_ascending_pages_through_an_index(string filters, WebhookEventFilter filter)
    {
        var plan = Plan(WebhookEventReader.ListSql(filter, ascending: true), WebhookEventReader.Parameters(filter, 10, 500));

        AssertSearchesOnly(plan, "webhook_events", filters);
    }

    [SkippableFact]
    public void Counts_one_app_in_a_time_range_through_an_index()
    {
        var filter = new WebhookEventFilter(SdkAppId: Events.App, EventTime: Range);

        var plan = Plan(WebhookEventReader.CountSql(filter), WebhookEventReader.Parameters(filter, 0, 0));

        AssertSearchesOnly(plan, "webhook_events", "stats");
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

        var plan = Plan(OfficialAccountReader.ListSql(filter, hasCursor: true), OfficialAccountReader.Parameters(filter, after, 51));

        AssertSearchesOnly(plan, "official_accounts", filters);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lists_an_accounts_subscribers_through_its_key(bool hasCursor)
    {
        var account = new OfficialAccountKey(Events.App, "@TOA#_1");

        var plan = Plan(OfficialAccountReader.SubscribersSql(hasCursor), OfficialAccountReader.SubscriberParameters(account, hasCursor ? "u1" : null, 51));

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

        var plan = Plan(OfficialAccountReader.MessagesSql(filter, hasCursor), OfficialAccountReader.MessageParameters(filter, before, 51));

        AssertSearchesOnly(plan, "official_account_messages", $"cursor {hasCursor}, range {inRange}");
    }

    /// <summary>The lines of the query plan for <paramref name="sql"/>.</summary>
    protected abstract List<string> Plan(ITestDatabase database, string sql, object parameters);

    /// <summary>Fails unless every line of <paramref name="plan"/> that reads <paramref name="table"/> goes through an index.</summary>
    protected abstract void AssertSearchesOnly(List<string> plan, string table, string filters);

    private List<string> Plan(string sql, object parameters) => Plan(_store.Database, sql, parameters);
}

/// <summary>SQLite: every read of the table is a "SEARCH", never a "SCAN" (with or without an index).</summary>
public sealed class SqliteQueryPlanTests() : QueryPlanTests(TestDatabases.Sqlite)
{
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
/// PostgreSQL: with sequential scans priced out (<c>enable_seqscan = off</c>), the planner still picks one only
/// where no index can serve the query; so no "Seq Scan" line means an index serves every filter, whatever the
/// table's size today.
/// </summary>
public sealed class PostgresQueryPlanTests() : QueryPlanTests(TestDatabases.Postgres)
{
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
