using CleanChat.TestSupport;
using CleanChat.Domain.OfficialAccounts;

using CleanChat.Application.Common.Filters;
namespace CleanChat.Infrastructure.Tests;

public abstract class WebhookEventStoreTests(string engine)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [SkippableFact]
    public async Task Stores_an_event_and_reads_back_every_field()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var sent = Events.Destroyed("@TOA#_a", 1670574414123);

        var result = await store.Store.AppendAsync(sent, null, None);
        var read = await store.Events.GetAsync(result.Sequence, None);

        Assert.False(result.Duplicate);
        Assert.Equal(sent with { Sequence = result.Sequence }, read);
        Assert.Equal("iOS", store.Database.Scalar<string>("SELECT opt_platform FROM webhook_events"));
        Assert.Equal("IOS", store.Database.Scalar<string>("SELECT opt_platform_raw FROM webhook_events"));
    }

    [SkippableFact]
    public async Task Stores_a_repeated_delivery_once_and_reports_the_first_sequence()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var sent = Events.Destroyed("@TOA#_a", 1670574414123);

        var first = await store.Store.AppendAsync(sent, Events.Change(sent, OfficialAccountState.Destroyed), None);
        var again = await store.Store.AppendAsync(sent with { Name = "renamed" }, Events.Change(sent, OfficialAccountState.Destroyed), None);

        Assert.Equal(first.Sequence, again.Sequence);
        Assert.True(again.Duplicate);
        Assert.Equal(1, store.Database.CountEvents());
    }

    [SkippableFact]
    public async Task Concurrent_appends_are_each_stored_once_including_duplicates_in_one_batch()
    {
        await using var store = await StoreFixture.StartAsync(engine, maxBatchSize: 64);
        var events = Enumerable.Range(1, 300).Select(i => Events.Destroyed($"@TOA#_{i % 150}", i % 150 + 1)).ToArray();

        var results = await Task.WhenAll(events.Select(e => Task.Run(() => store.Store.AppendAsync(e, null, None))));

        Assert.Equal(150, store.Database.CountEvents());
        Assert.Equal(150, results.Count(r => !r.Duplicate));
        Assert.Equal(150, results.Select(r => r.Sequence).Distinct().Count());
    }

    [SkippableFact]
    public async Task Marks_the_account_destroyed_with_its_owner_name_and_time()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var sent = Events.Destroyed("@TOA#_a", 1670574414123);

        var result = await store.Store.AppendAsync(sent, Events.Change(sent, OfficialAccountState.Destroyed), None);
        var account = await store.Accounts.GetAsync(Events.App, "@TOA#_a", None);

        Assert.Equal(
            new OfficialAccount(Events.App, "@TOA#_a", OfficialAccountState.Destroyed, "107867", "TestOfficialAccount",
                null, sent.EventTime, sent.EventTime!.Value, result.Sequence),
            account);
    }

    [SkippableFact]
    public async Task An_older_event_never_overwrites_newer_state()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        var destroyed = Events.Destroyed("@TOA#_a", 2_000);
        var olderCreate = Events.Destroyed("@TOA#_a", 1_000, name: "old name") with { CallbackCommand = "create" , DeliveryKey = "older" };

        await store.Store.AppendAsync(destroyed, Events.Change(destroyed, OfficialAccountState.Destroyed), None);
        await store.Store.AppendAsync(olderCreate, Events.Change(olderCreate, OfficialAccountState.Active), None);
        var account = await store.Accounts.GetAsync(Events.App, "@TOA#_a", None);

        Assert.Equal(OfficialAccountState.Destroyed, account!.State);
        Assert.Equal("TestOfficialAccount", account.Name);
        Assert.Equal(2, store.Database.CountEvents());
    }

    [SkippableFact]
    public async Task An_account_is_the_fold_of_its_events_by_event_time_in_either_arrival_order()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        async Task<(long Created, long Destroyed)> AppendAsync(string account, bool createFirst)
        {
            var create = Events.Destroyed(account, 1_000, name: "old name") with { CallbackCommand = "create", DeliveryKey = $"{account} create" };
            var destroy = Events.Destroyed(account, 2_000);
            var appends = new (Domain.Events.WebhookEvent Event, OfficialAccountState State)[]
            {
                (create, OfficialAccountState.Active),
                (destroy, OfficialAccountState.Destroyed),
            };
            var sequences = new long[2];
            foreach (var i in createFirst ? [0, 1] : new[] { 1, 0 })
            {
                sequences[i] = (await store.Store.AppendAsync(appends[i].Event, Events.Change(appends[i].Event, appends[i].State), None)).Sequence;
            }

            return (sequences[0], sequences[1]);
        }

        var inOrder = await AppendAsync("@TOA#_in_order", createFirst: true);
        var lateCreate = await AppendAsync("@TOA#_late_create", createFirst: false);
        var accounts = await Task.WhenAll(
            store.Accounts.GetAsync(Events.App, "@TOA#_in_order", None), store.Accounts.GetAsync(Events.App, "@TOA#_late_create", None));

        OfficialAccount Folded(string account, long lastSequence) => new(
            Events.App, account, OfficialAccountState.Destroyed, "107867", "TestOfficialAccount",
            DateTimeOffset.FromUnixTimeMilliseconds(1_000), DateTimeOffset.FromUnixTimeMilliseconds(2_000),
            DateTimeOffset.FromUnixTimeMilliseconds(2_000), lastSequence);
        Assert.Equal(Folded("@TOA#_in_order", inOrder.Destroyed), accounts[0]);
        Assert.Equal(Folded("@TOA#_late_create", lateCreate.Destroyed), accounts[1]);
    }

    [SkippableFact]
    public async Task Lists_newest_first_by_filter_in_keyset_pages()
    {
        await using var store = await StoreFixture.StartAsync(engine);
        for (var i = 1; i <= 5; i++)
        {
            await store.Store.AppendAsync(Events.Destroyed(i % 2 == 0 ? "@TOA#_even" : "@TOA#_odd", i), null, None);
        }

        var filter = new Application.Common.Filters.WebhookEventFilter(Events.App, "@TOA#_odd", null);
        var firstPage = (await store.Events.ListAsync(filter, long.MaxValue, 2, None)).Events;
        var secondPage = (await store.Events.ListAsync(filter, firstPage[^1].Sequence, 2, None)).Events;

        Assert.Equal([5L, 3L], firstPage.Select(e => e.Sequence));
        Assert.Equal([1L], secondPage.Select(e => e.Sequence));
    }

    [SkippableFact]
    public async Task A_kept_prepared_read_sees_events_committed_after_it_last_ran()
    {
        await using var store = await StoreFixture.StartAsync(engine);

        // Many concurrent misses leave several prepared statements idle; each must see the later commit.
        var misses = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.Events.GetAsync(1, None))));
        await store.Store.AppendAsync(Events.Destroyed("@TOA#_late", 1), null, None);
        var hits = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.Events.GetAsync(1, None))));

        Assert.All(misses, Assert.Null);
        Assert.All(hits, e => Assert.Equal("@TOA#_late", e!.OfficialAccount));
    }
}

public sealed class SqliteWebhookEventStoreTests() : WebhookEventStoreTests(TestDatabases.Sqlite);

public sealed class PostgresWebhookEventStoreTests() : WebhookEventStoreTests(TestDatabases.Postgres);
