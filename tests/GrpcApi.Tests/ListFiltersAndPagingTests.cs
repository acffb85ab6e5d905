using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Order = CleanChat.Contracts.V1.ListWebhookEventsRequest.Types.Order;

namespace CleanChat.GrpcApi.Tests;

public abstract class ListFiltersAndPagingTests(string engine) : IDisposable
{
    // A command with no typed handler: recorded as it came, with its common fields.
    private const string Unhandled = "Sns.CallbackFriendAdd";

    private readonly HostsFixture _hosts = new(engine: engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    private static Timestamp At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToTimestamp();

    private async Task<long[]> ListAsync(ListWebhookEventsRequest request) =>
        (await _hosts.Events.ListWebhookEventsAsync(request)).Events.Select(e => e.Sequence).ToArray();

    [SkippableFact]
    public async Task Combines_every_filter_and_orders_by_sequence_either_way()
    {
        await _hosts.PostDestroyedAsync("@TOA#_a", 1_000, owner: "alice");   // 1
        await _hosts.PostDestroyedAsync("@TOA#_b", 2_000, owner: "bob");     // 2
        await _hosts.PostOtherAsync(Unhandled, "iOS", 3_000, "@TOA#_a");       // 3
        await _hosts.PostOtherAsync(Unhandled, "Android", 4_000, "@TOA#_a");   // 4
        await _hosts.PostDestroyedAsync("@TOA#_c", 5_000, owner: "alice");   // 5

        var byOwner = await ListAsync(new() { OwnerAccount = "alice" });
        var byCommand = await ListAsync(new() { CallbackCommand = Unhandled });
        var byPlatform = await ListAsync(new() { OptPlatform = "iOS" });
        var byAccount = await ListAsync(new() { OfficialAccount = "@TOA#_a" });
        var byEventTimeAscending = await ListAsync(new()
        {
            EventTime = new TimeRange { StartTime = At(2_000), EndTime = At(5_000) },
            Order = Order.SequenceAscending,
        });
        var byEverything = await ListAsync(new()
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount = "@TOA#_a",
            CallbackCommand = Unhandled,
            OptPlatform = "Android",
            EventTime = new TimeRange { StartTime = At(4_000) },
            ReceiveTime = new TimeRange { EndTime = DateTimeOffset.UtcNow.AddMinutes(1).ToTimestamp() },
        });
        var receivedLongAgo = await ListAsync(new() { ReceiveTime = new TimeRange { EndTime = At(1) } });

        Assert.Equal([5L, 1], byOwner);
        Assert.Equal([4L, 3], byCommand);
        Assert.Equal([3L], byPlatform);
        Assert.Equal([4L, 3, 1], byAccount);
        Assert.Equal([2L, 3, 4], byEventTimeAscending);
        Assert.Equal([4L], byEverything);
        Assert.Empty(receivedLongAgo);
    }

    [SkippableTheory]
    [InlineData(Order.NewestFirst)]
    [InlineData(Order.SequenceAscending)]
    public async Task Walking_every_page_while_events_arrive_sees_each_event_exactly_once(Order order)
    {
        for (var i = 1; i <= 10; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 11; i <= 60 && !stop.IsCancellationRequested; i++)
            {
                await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
            }
        });
        var seen = new List<long>();
        var request = new ListWebhookEventsRequest { SdkAppId = TencentSample.SdkAppId, Order = order, PageSize = 3 };
        do
        {
            var page = await _hosts.Events.ListWebhookEventsAsync(request);
            seen.AddRange(page.Events.Select(e => e.Sequence));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        await stop.CancelAsync();
        await writer;

        // Keyset pages continue from the last sequence sent, so arrivals can neither shift nor repeat a row.
        var expected = order == Order.SequenceAscending
            ? Enumerable.Range(1, seen.Count).Select(i => (long)i)
            : Enumerable.Range(1, (int)seen[0]).Reverse().Select(i => (long)i);
        Assert.Equal(expected, seen);
        Assert.True(seen.Count >= 10);
    }

    [SkippableFact]
    public async Task Refuses_a_page_token_used_with_other_filters_or_another_order()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        var first = await _hosts.Events.ListWebhookEventsAsync(new() { PageSize = 1, OwnerAccount = "107867" });
        var otherFilter = await Assert.ThrowsAsync<RpcException>(() => _hosts.Events.ListWebhookEventsAsync(
            new() { PageSize = 1, OwnerAccount = "someone", PageToken = first.NextPageToken }).ResponseAsync);
        var otherOrder = await Assert.ThrowsAsync<RpcException>(() => _hosts.Events.ListWebhookEventsAsync(
            new() { PageSize = 1, OwnerAccount = "107867", Order = Order.SequenceAscending, PageToken = first.NextPageToken }).ResponseAsync);

        Assert.NotEmpty(first.NextPageToken);
        Assert.Equal(StatusCode.InvalidArgument, otherFilter.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, otherOrder.StatusCode);
        Assert.Contains("page_token", otherOrder.Status.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refuses_an_unknown_platform_a_reversed_range_and_an_invalid_timestamp_naming_each_field()
    {
        var platform = await Assert.ThrowsAsync<RpcException>(() => _hosts.Events.ListWebhookEventsAsync(
            new() { OptPlatform = "Amiga" }).ResponseAsync);
        var reversed = await Assert.ThrowsAsync<RpcException>(() => _hosts.Events.ListWebhookEventsAsync(
            new() { EventTime = new TimeRange { StartTime = At(2_000), EndTime = At(1_000) } }).ResponseAsync);
        var invalid = await Assert.ThrowsAsync<RpcException>(() => _hosts.Events.ListWebhookEventsAsync(
            new() { ReceiveTime = new TimeRange { StartTime = new Timestamp { Seconds = long.MaxValue } } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, platform.StatusCode);
        Assert.StartsWith("opt_platform:", platform.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, reversed.StatusCode);
        Assert.StartsWith("event_time:", reversed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.StartsWith("receive_time.start_time:", invalid.Status.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Lists_accounts_destroyed_in_a_time_range_by_owner()
    {
        await _hosts.PostDestroyedAsync("@TOA#_early", 1_000, owner: "alice");
        await _hosts.PostDestroyedAsync("@TOA#_late", 9_000, owner: "alice");
        await _hosts.PostDestroyedAsync("@TOA#_bob", 1_500, owner: "bob");

        var listed = await _hosts.Accounts.ListOfficialAccountsAsync(new ListOfficialAccountsRequest
        {
            OwnerAccount = "alice",
            State = OfficialAccount.Types.State.Destroyed,
            DestroyTime = new TimeRange { StartTime = At(500), EndTime = At(2_000) },
        });
        var anyDestroyTime = await _hosts.Accounts.ListOfficialAccountsAsync(new ListOfficialAccountsRequest
        {
            DestroyTime = new TimeRange { EndTime = At(2_000) },
        });

        Assert.Equal(["@TOA#_early"], listed.OfficialAccounts.Select(a => a.OfficialAccount_));
        Assert.Equal(["@TOA#_bob", "@TOA#_early"], anyDestroyTime.OfficialAccounts.Select(a => a.OfficialAccount_));
    }
}

public sealed class SqliteListFiltersAndPagingTests() : ListFiltersAndPagingTests(TestDatabases.Sqlite);

public sealed class PostgresListFiltersAndPagingTests() : ListFiltersAndPagingTests(TestDatabases.Postgres);
