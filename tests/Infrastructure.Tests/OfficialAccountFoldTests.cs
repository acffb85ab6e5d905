using System.Globalization;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Tests.Fold;
using CleanChat.TestSupport;
using Xunit.Abstractions;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// The property the state rests on: a random history of creates, destroys, profile changes, "full" reports,
/// subscribes, unsubscribes, sends and withdraws, appended in event-time order, and again in several random orders
/// with repeats (some in the same group commit), always folds to the same state, the one the history's event times
/// alone decide (<see cref="FoldModel"/>). Each history has a seed, printed on failure; FOLD_SEED replays one.
/// </summary>
public abstract class OfficialAccountFoldTests(string engine, ITestOutputHelper output)
{
    private const int FirstSeed = 12_000;
    private const int Histories = 20;
    private const int EventsPerHistory = 40;
    private const int ShuffledRuns = 3;

    [SkippableFact]
    public async Task Any_arrival_order_with_repeats_folds_to_the_state_the_event_times_decide()
    {
        var seeds = int.TryParse(Environment.GetEnvironmentVariable("FOLD_SEED"), CultureInfo.InvariantCulture, out var chosen)
            ? [chosen]
            : Enumerable.Range(FirstSeed, Histories).ToArray();
        using var database = TestDatabases.Create(engine);
        await using var store = await StoreFixture.StartAsync(database);
        var app = 1_400_000_000L;
        var checkedRows = 0;

        foreach (var seed in seeds)
        {
            var random = new Random(seed);
            var history = FoldHistory.Generate(random, EventsPerHistory);
            var runs = new List<(string Name, List<HistoryEvent> Order)>
            {
                ("in event-time order", [.. history.OrderBy(e => TimeOf(e, store))]),
            };
            for (var run = 1; run <= ShuffledRuns; run++)
            {
                var repeated = history.SelectMany(e => Enumerable.Repeat(e, random.Next(10) < 3 ? random.Next(2, 4) : 1));
                runs.Add(($"random order {run} with repeats", [.. repeated.OrderBy(_ => random.Next())]));
            }

            foreach (var (name, order) in runs)
            {
                // Each run folds into an app of its own on the same database.
                var sdkAppId = (++app).ToString(CultureInfo.InvariantCulture);
                var recorded = order.Select(e => e.Record(sdkAppId, store.Store)).ToList();
                // Appended without waiting in between: the group commit takes them in this order, many to a batch.
                await Task.WhenAll(recorded.Select(r => store.Store.AppendAsync(r.Event, r.Change, CancellationToken.None)));

                var expected = FoldModel.Expected([.. recorded.Select(r => (r.Event.DeliveryKey, r.Change!))]);
                var actual = FoldedState.Read(database, sdkAppId);
                if (expected.FirstDifference(actual) is { } difference)
                {
                    Assert.Fail($"seed {seed} (set FOLD_SEED={seed} to replay), {name}: {difference}\nhistory in the order appended:\n{string.Join("\n", order)}");
                }

                checkedRows += actual.Accounts.Count + actual.Subscribers.Count + actual.Messages.Count;
            }
        }

        output.WriteLine($"{seeds.Length} histories from seed {seeds[0]}, {checkedRows} rows compared");
        Assert.True(checkedRows > seeds.Length * 4 * 10, "the histories folded to too little state to say much");
    }

    private static long TimeOf(HistoryEvent e, StoreFixture store) =>
        e.Record("0", store.Store).Event.EventTime!.Value.ToUnixTimeMilliseconds();
}

public sealed class SqliteOfficialAccountFoldTests(ITestOutputHelper output) : OfficialAccountFoldTests(TestDatabases.Sqlite, output);

public sealed class PostgresOfficialAccountFoldTests(ITestOutputHelper output) : OfficialAccountFoldTests(TestDatabases.Postgres, output);
