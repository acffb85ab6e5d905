using CleanChat.Contracts.V1;
using CleanChat.Infrastructure.Retention;
using CleanChat.TestSupport;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.GrpcApi.Tests;

/// <summary>What each method answers once retention has removed the start of the log.</summary>
public abstract class RetentionFloorTests(string engine) : IDisposable
{
    // Every event is old as soon as it is received; the job runs only when the test says (its interval is a day).
    private readonly HostsFixture _hosts = new(engine: engine, webhookSettings: new Dictionary<string, string?>
    {
        ["Retention:MaxAge"] = "00:00:00.001",
        ["Retention:DeleteWithoutArchive"] = "true",
        ["Retention:IntervalSeconds"] = "86400",
    });

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Posts five events and removes them, then posts two more: the floor is 6, the log holds 6 and 7.</summary>
    private async Task RemoveFiveAsync()
    {
        for (var i = 1; i <= 5; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        var job = _hosts.Webhook.Services.GetRequiredService<RetentionJob>();
        RetentionRun run;
        do
        {
            // The newest may have been received in this very millisecond: it is old by the next one.
            run = job.RunOnce();
        }
        while (run.Floor < 6);

        Assert.Equal((RetentionJob.Completed, 6L), (run.Outcome, run.Floor));
        await _hosts.PostDestroyedAsync("@TOA#_6", 6);
        await _hosts.PostDestroyedAsync("@TOA#_7", 7);
    }

    [SkippableFact]
    public async Task Get_of_a_removed_sequence_is_not_found_saying_retention_removed_it()
    {
        await RemoveFiveAsync();

        var removed = await Assert.ThrowsAsync<RpcException>(async () => await _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = 3 }));
        var never = await Assert.ThrowsAsync<RpcException>(async () => await _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = 99 }));
        var held = await _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = 6 });

        Assert.Equal(StatusCode.NotFound, removed.StatusCode);
        Assert.Contains("removed by retention; the first sequence still held is 6", removed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, never.StatusCode);
        Assert.DoesNotContain("retention", never.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("@TOA#_6", held.OfficialAccount);
    }

    [SkippableFact]
    public async Task Watch_from_below_the_floor_ends_at_once_with_out_of_range_naming_the_floor()
    {
        await RemoveFiveAsync();

        using var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = 4 });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.OutOfRange, refused.StatusCode);
        Assert.Contains("the first sequence still held is 6", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("state is complete", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("after_sequence 5", refused.Status.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Watch_from_the_floor_less_one_streams_the_backlog_then_live()
    {
        await RemoveFiveAsync();

        using var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = 5 });
        var seen = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            if (i == 2)
            {
                await _hosts.PostDestroyedAsync("@TOA#_8", 8);
            }

            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            seen.Add(call.ResponseStream.Current.Sequence);
        }

        Assert.Equal([6L, 7, 8], seen);
    }

    [SkippableFact]
    public async Task Lists_start_at_the_floor_and_stats_report_it()
    {
        await RemoveFiveAsync();

        var ascending = await _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest
        {
            SdkAppId = TencentSample.SdkAppId,
            Order = ListWebhookEventsRequest.Types.Order.SequenceAscending,
        });
        var newest = await _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest());
        var stats = await _hosts.Events.GetWebhookEventStatsAsync(new GetWebhookEventStatsRequest());

        Assert.Equal([6L, 7], ascending.Events.Select(e => e.Sequence));
        Assert.Equal([7L, 6], newest.Events.Select(e => e.Sequence));
        Assert.Equal(6, stats.FirstSequence);
        Assert.Equal(2, stats.TotalCount);
    }
}

public sealed class SqliteRetentionFloorTests() : RetentionFloorTests(TestDatabases.Sqlite);

public sealed class PostgresRetentionFloorTests() : RetentionFloorTests(TestDatabases.Postgres);
