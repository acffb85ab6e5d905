using CleanChat.TestSupport;
using CleanChat.Application.Common.Filters;
using CleanChat.Domain.Events;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// A watch filters its backlog in SQL and its live events in memory; the two must agree, or what a watcher
/// receives would depend on when it connected.
/// </summary>
public abstract class WebhookEventFilterTests(string engine) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_000);

    private StoreFixture _store = null!;
    private readonly List<WebhookEvent> _stored = [];

    public static TheoryData<string, WebhookEventFilter> Filters => new()
    {
        { "none", new WebhookEventFilter() },
        { "sdk_app_id", new WebhookEventFilter(SdkAppId: "1400000001") },
        { "official_account", new WebhookEventFilter(OfficialAccount: "@TOA#_2") },
        { "callback_command", new WebhookEventFilter(CallbackCommand: "other") },
        { "owner_account", new WebhookEventFilter(OwnerAccount: "owner-1") },
        { "opt_platform normalised", new WebhookEventFilter(OptPlatform: "iOS") },
        { "opt_platform unknown", new WebhookEventFilter(OptPlatform: "Unknown") },
        { "event_time closed", new WebhookEventFilter(EventTime: new(T0.AddMilliseconds(2), T0.AddMilliseconds(5))) },
        { "event_time open end", new WebhookEventFilter(EventTime: new(T0.AddMilliseconds(7), null)) },
        { "event_time sub-millisecond bounds", new WebhookEventFilter(EventTime: new(T0.AddTicks(25_000), T0.AddTicks(45_000))) },
        { "receive_time", new WebhookEventFilter(ReceiveTime: new(null, T0.AddMilliseconds(4))) },
        { "several", new WebhookEventFilter(SdkAppId: Events.App, CallbackCommand: "other", OptPlatform: "iOS") },
    };

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.StartAsync(engine);
        string[] platforms = ["IOS", "iOS", "Android", "Amiga", "RESTAPI"];
        for (var i = 0; i < 10; i++)
        {
            var e = Events.Destroyed($"@TOA#_{i % 3}", 1_000 + i) with
            {
                SdkAppId = i % 4 == 0 ? "1400000001" : Events.App,
                CallbackCommand = i % 2 == 0 ? "destroyed" : "other",
                OwnerAccount = i % 3 == 0 ? null : $"owner-{i % 2}",
                OptPlatform = i == 9 ? null : platforms[i % platforms.Length],
                EventTime = i == 8 ? null : T0.AddMilliseconds(i),
                ReceiveTime = T0.AddMilliseconds(i),
                DeliveryKey = $"key-{i}",
            };
            var result = await _store.Store.AppendAsync(e, null, CancellationToken.None);
            _stored.Add(e with { Sequence = result.Sequence });
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableTheory]
    [MemberData(nameof(Filters))]
    public async Task Storage_and_memory_select_the_same_events(string filters, WebhookEventFilter filter)
    {
        var fromStorage = (await _store.Events.ListAfterAsync(filter, 0, 100, CancellationToken.None)).Events;
        var inMemory = _stored.Where(filter.Matches).Select(e => e.Sequence);

        Assert.True(inMemory.SequenceEqual(fromStorage.Select(e => e.Sequence)), filters);
        Assert.True(filters == "none" || fromStorage.Count < _stored.Count, $"{filters} should exclude something");
    }
}

public sealed class SqliteWebhookEventFilterTests() : WebhookEventFilterTests(TestDatabases.Sqlite);

public sealed class PostgresWebhookEventFilterTests() : WebhookEventFilterTests(TestDatabases.Postgres);
