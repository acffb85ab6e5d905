using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Application.Events.ListWebhookEvents;
using CleanChat.Application.Events.WatchWebhookEvents;
using CleanChat.Domain.Events;
using CleanChat.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// A page reads at most a window of rows, so over a log several windows long a sparse filter gets short and empty pages.
/// Walking them, either way, and the watch backlog, which reads the same windows, must still give every match exactly once.
/// </summary>
public abstract class WindowedPagingTests(string engine) : IAsyncLifetime
{
    private const int LogLength = 10_000;   // more than two windows of the log, and of the even owner's index entries
    private const int PageSize = 6;         // more than any one window of these filters holds
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly long[] Rare = [5, 4_100, 4_101, 4_102, 4_103, 4_104, 9_000, 9_998];

    private StoreFixture _store = null!;

    public static TheoryData<string, WebhookEventFilter> Filters => new()
    {
        { "callback_command: the log, a window at a time", new WebhookEventFilter(CallbackCommand: "rare") },
        { "owner_account + opt_platform: the owner's index, a window at a time", new WebhookEventFilter(OwnerAccount: "even-owner", OptPlatform: "iOS") },
        { "sdk_app_id + callback_command, matching nothing", new WebhookEventFilter(SdkAppId: Events.App, CallbackCommand: "absent") },
    };

    public async Task InitializeAsync()
    {
        _store = await StoreFixture.StartAsync(engine);
        await Task.WhenAll(Enumerable.Range(1, LogLength).Select(i => _store.Store.AppendAsync(Event(i), null, CancellationToken.None)));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [SkippableTheory]
    [MemberData(nameof(Filters))]
    public async Task Walking_every_page_newest_first_gives_each_match_once(string filters, WebhookEventFilter filter)
    {
        var pages = await WalkAsync(filter, WebhookEventOrder.NewestFirst);

        Assert.Equal(Matches(filter).Reverse(), pages.SelectMany(p => p.Items).Select(e => e.Sequence));
        Assert.True(pages.Any(p => p.Items.Count < PageSize && p.NextPageToken is not null), $"{filters}: no short page");
    }

    [SkippableTheory]
    [MemberData(nameof(Filters))]
    public async Task Walking_every_page_in_sequence_order_gives_each_match_once(string filters, WebhookEventFilter filter)
    {
        var pages = await WalkAsync(filter, WebhookEventOrder.SequenceAscending);

        Assert.Equal(Matches(filter), pages.SelectMany(p => p.Items).Select(e => e.Sequence));
        Assert.True(pages.Any(p => p.Items.Count < PageSize && p.NextPageToken is not null), $"{filters}: no short page");
    }

    [SkippableTheory]
    [MemberData(nameof(Filters))]
    public async Task The_watch_backlog_reads_every_window_then_goes_live_without_a_gap_or_a_repeat(string filters, WebhookEventFilter filter)
    {
        await _store.Feed.StartAsync(CancellationToken.None);
        using var services = new ServiceCollection().AddMetrics().AddSingleton<CleanChatMetrics>().BuildServiceProvider();
        var watch = new WatchWebhookEventsQueryHandler(_store.Events, _store.Feed, services.GetRequiredService<CleanChatMetrics>());
        using var timeout = new CancellationTokenSource(Patience);
        var received = new List<long>();
        try
        {
            var stream = await watch.Handle(new WatchWebhookEventsQuery(0, filter), timeout.Token);
            var live = _store.Store.AppendAsync(Matching(filter, LogLength + 1), null, CancellationToken.None);
            await foreach (var batch in stream.WithCancellation(timeout.Token))
            {
                received.AddRange(batch.Select(e => e.Sequence));
                if (received.Contains((await live).Sequence))
                {
                    break;
                }
            }
        }
        finally
        {
            await _store.Feed.StopAsync(CancellationToken.None);
        }

        Assert.True(Matches(filter).Append(LogLength + 1).SequenceEqual(received), $"{filters}: received {string.Join(", ", received)}");
    }

    private async Task<List<Page<WebhookEvent>>> WalkAsync(WebhookEventFilter filter, WebhookEventOrder order)
    {
        var list = new ListWebhookEventsQueryHandler(_store.Events);
        var pages = new List<Page<WebhookEvent>>();
        string? token = null;
        do
        {
            var page = await list.Handle(new ListWebhookEventsQuery(filter, PageSize, token, order), CancellationToken.None);
            pages.Add(page);
            token = page.NextPageToken;
            Assert.True(pages.Count < 100, "the walk does not end");
        }
        while (token is not null);

        return pages;
    }

    // Sequence i is event i: the database is fresh.
    private static IEnumerable<long> Matches(WebhookEventFilter filter) =>
        Enumerable.Range(1, LogLength).Select(i => (long)i).Where(i => filter.Matches(Event(i)));

    private static WebhookEvent Event(long i) => Events.Destroyed("@TOA#_x", i) with
    {
        CallbackCommand = Rare.Contains(i) ? "rare" : "common",
        OwnerAccount = i % 2 == 0 ? "even-owner" : null,
        OptPlatform = i % 1_500 == 0 ? "iOS" : "Android",
        DeliveryKey = $"key-{i}",
    };

    private static WebhookEvent Matching(WebhookEventFilter filter, long i) => Event(i) with
    {
        CallbackCommand = filter.CallbackCommand ?? "common",
        OwnerAccount = filter.OwnerAccount,
        OptPlatform = filter.OptPlatform ?? "Android",
    };
}

public sealed class SqliteWindowedPagingTests() : WindowedPagingTests(TestDatabases.Sqlite);

public sealed class PostgresWindowedPagingTests() : WindowedPagingTests(TestDatabases.Postgres);
