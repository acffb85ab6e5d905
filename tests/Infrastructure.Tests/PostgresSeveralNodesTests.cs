using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Postgres;
using CleanChat.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// The write contract with several nodes on one PostgreSQL database. Sequence order is commit order: a follower that reads
/// "after the last sequence it saw", as Watch and keyset pages do, never passes a sequence that commits later.
/// Each writer is a node of its own (its own group-commit scheduler and connection).
/// </summary>
public sealed class PostgresSeveralNodesTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Defaults (the identity) are filled in before BEFORE ROW triggers run: a slow row holds its sequence while it sleeps.
    private const string SlowDownSomeRows = """
        CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.official_account LIKE '@TOA#_slow%' THEN PERFORM pg_sleep(0.3); END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER slow_down BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION slow_down();
        SELECT 0
        """;

    /// <summary>The lock a held row waits for in its trigger (<see cref="HoldSomeRows"/>); the test holds it.</summary>
    private const long RowGate = 0x7465_7374_6761_7465; // "testgate"

    // As SlowDownSomeRows, but a held row waits, sequence taken, until the test releases RowGate rather than for a time.
    private static readonly string HoldSomeRows = $$"""
        CREATE FUNCTION hold_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.official_account LIKE '@TOA#_held%' THEN PERFORM pg_advisory_xact_lock_shared({{RowGate}}); END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER hold_rows BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION hold_rows();
        SELECT 0
        """;

    private readonly TemporaryPostgresDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [SkippableTheory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task A_sequence_taken_by_a_slow_commit_is_never_passed_by_a_follower_unless_the_commit_lock_is_off(bool orderCommits, int missed)
    {
        // The writers wait for locks as long as the test holds them, rather than give up after lock_timeout.
        var nodes = await StartNodesAsync(2, orderCommits, ("Storage:BusyTimeoutMs", "30000"));
        _database.Scalar<int>(HoldSomeRows);
        var follower = new Follower(nodes[0].Events);

        // The slow event takes the lower sequence and is held before its commit; the other node's event comes next, and
        // either commits meanwhile (no commit lock) or waits for the slow commit's lock. A follower reads at that point.
        Task<AppendResult> slow, fast;
        using (PostgresLocks.Hold(_database, RowGate))
        {
            slow = nodes[0].Store.AppendAsync(Events.Destroyed("@TOA#_held", 1), null, CancellationToken.None);
            await PostgresLocks.WaitForWaitersAsync(_database, RowGate, count: 1, applicationName: null, Patience);
            fast = nodes[1].Store.AppendAsync(Events.Destroyed("@TOA#_fast", 2), null, CancellationToken.None);
            if (orderCommits)
            {
                await PostgresLocks.WaitForWaitersAsync(_database, PostgresLocks.CommitLockKey, count: 1, applicationName: null, Patience);
            }
            else
            {
                await fast.WaitAsync(Patience);
            }

            await follower.ReadAsync();
        }

        var answers = await Task.WhenAll(slow, fast).WaitAsync(Patience);
        await follower.ReadAsync();

        Assert.True(answers[0].Sequence < answers[1].Sequence, "the slow event took its sequence first");
        Assert.Equal(missed, answers.Count(a => !follower.InArrivalOrder.Contains(a.Sequence)));
        await DisposeAsync(nodes);
    }

    [SkippableFact]
    public async Task Three_writers_under_load_commit_in_sequence_order()
    {
        var nodes = await StartNodesAsync(3, orderCommits: true);
        _database.Scalar<int>(SlowDownSomeRows.Replace("pg_sleep(0.3)", "pg_sleep(0.02)", StringComparison.Ordinal));
        var follower = new Follower(nodes[0].Events);
        var following = follower.RunAsync();

        // 3 nodes x 8 concurrent callers x 40 events, one in twenty of them slow.
        var appends = nodes.SelectMany((node, n) => Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var account = i % 20 == 7 ? $"@TOA#_slow_{n}_{caller}_{i}" : $"@TOA#_{n}_{caller}_{i}";
                await node.Store.AppendAsync(Events.Destroyed(account, i + 1), null, CancellationToken.None);
            }
        }))).ToArray();
        await Task.WhenAll(appends).WaitAsync(Patience);
        var seen = await follower.StopAsync(following);

        var stored = _database.Rows<long>("SELECT sequence FROM webhook_events ORDER BY sequence");
        Assert.Equal(3 * 8 * 40, stored.Count);
        Assert.Equal(stored, seen.Order());
        Assert.Equal(seen.Order(), follower.InArrivalOrder);
        await DisposeAsync(nodes);
    }

    [SkippableFact]
    public async Task The_same_delivery_sent_to_two_nodes_at_once_is_stored_once_and_both_get_its_sequence()
    {
        var nodes = await StartNodesAsync(2, orderCommits: true);
        var events = Enumerable.Range(1, 200).Select(i => Events.Destroyed($"@TOA#_{i}", i)).ToArray();

        var answers = await Task.WhenAll(events.Select(e => Task.WhenAll(
            Task.Run(() => nodes[0].Store.AppendAsync(e, null, CancellationToken.None)),
            Task.Run(() => nodes[1].Store.AppendAsync(e, null, CancellationToken.None))))).WaitAsync(Patience);

        Assert.Equal(200, _database.CountEvents());
        Assert.All(answers, pair => Assert.Equal(pair[0].Sequence, pair[1].Sequence));
        Assert.All(answers, pair => Assert.Equal(1, pair.Count(a => !a.Duplicate)));
        await DisposeAsync(nodes);
    }

    [SkippableFact]
    public async Task Two_nodes_writing_one_account_at_once_leave_the_newest_events_state()
    {
        var nodes = await StartNodesAsync(2, orderCommits: true);
        var history = Enumerable.Range(1, 100)
            .Select(t => Events.Destroyed("@TOA#_contended", t) with { Name = $"name at {t}" })
            .OrderBy(_ => Random.Shared.Next())
            .ToArray();

        await Task.WhenAll(history.Select((e, i) => Task.Run(() =>
            nodes[i % 2].Store.AppendAsync(e, Events.Change(e, Domain.OfficialAccounts.OfficialAccountState.Destroyed), CancellationToken.None))))
            .WaitAsync(Patience);

        var account = await nodes[0].Accounts.GetAsync(Events.App, "@TOA#_contended", CancellationToken.None);
        Assert.Equal("name at 100", account!.Name);
        Assert.Equal(100, account.LastEventTime.ToUnixTimeMilliseconds());
        await DisposeAsync(nodes);
    }

    [SkippableFact]
    public async Task Each_nodes_sessions_carry_the_application_name_its_connection_string_gives_and_cleanchat_otherwise()
    {
        await using var named = await StoreFixture.StartAsync(_database, connectionOptions: ";Application Name=node-a");
        await using var unnamed = await StoreFixture.StartAsync(_database);

        await named.Store.AppendAsync(Events.Destroyed("@TOA#_a", 1), null, CancellationToken.None);
        await unnamed.Store.AppendAsync(Events.Destroyed("@TOA#_b", 2), null, CancellationToken.None);

        // Each writer keeps its session open between commits.
        var names = _database.Rows<string>(
            "SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        Assert.Equal(["cleanchat", "node-a"], names.Order(StringComparer.Ordinal));
    }

    private async Task<StoreFixture[]> StartNodesAsync(int count, bool orderCommits, params (string Key, string Value)[] settings)
    {
        var nodes = new StoreFixture[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await StoreFixture.StartAsync(_database, services => services.AddSingleton<IEventLogWriterFactory>(
                sp => new PostgresEventLogWriterFactory(sp.GetRequiredService<PostgresConnectionFactory>(), orderCommits)), settings);
        }

        return nodes;
    }

    private static async Task DisposeAsync(StoreFixture[] nodes)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Reads "after the last sequence seen", when told or over and over, as the live feed and keyset pages do.</summary>
    private sealed class Follower(IWebhookEventReader log)
    {
        private readonly CancellationTokenSource _stop = new();
        private long _cursor;

        public List<long> InArrivalOrder { get; } = [];

        public async Task RunAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                await ReadAsync();
                await Task.Delay(1, CancellationToken.None);
            }

            await ReadAsync(); // once more after the last commit
        }

        public async Task<HashSet<long>> StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running.WaitAsync(Patience);
            _stop.Dispose();
            return [.. InArrivalOrder];
        }

        public async Task ReadAsync()
        {
            foreach (var e in (await log.ListAfterAsync(WebhookEventFilter.All, _cursor, 1000, CancellationToken.None)).Events)
            {
                InArrivalOrder.Add(e.Sequence);
                _cursor = e.Sequence;
            }
        }
    }
}
