using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;

namespace CleanChat.GrpcApi.Tests;

public abstract class WebhookEventStatsTests(string engine) : IDisposable
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

    [SkippableFact]
    public async Task Counts_per_command_and_platform_with_first_and_last_event_times()
    {
        await _hosts.PostDestroyedAsync("@TOA#_a", 1_000);
        await _hosts.PostDestroyedAsync("@TOA#_b", 2_000);
        await _hosts.PostOtherAsync(Unhandled, "IOS", 3_000);
        await _hosts.PostOtherAsync(Unhandled, "Android", 9_000);

        var all = await _hosts.Events.GetWebhookEventStatsAsync(new GetWebhookEventStatsRequest { SdkAppId = TencentSample.SdkAppId });
        var ranged = await _hosts.Events.GetWebhookEventStatsAsync(new GetWebhookEventStatsRequest
        {
            EventTime = new TimeRange { StartTime = At(2_000), EndTime = At(9_000) },
        });

        Assert.Equal(4, all.TotalCount);
        Assert.Equal(
            [(TencentSample.Command, 2L), (Unhandled, 2L)],
            all.ByCallbackCommand.Select(c => (c.Key, c.Count)).OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Equal([("RESTAPI", 2L), ("Android", 1L), ("iOS", 1L)], all.ByOptPlatform.Select(c => (c.Key, c.Count)));
        Assert.Equal(At(1_000), all.FirstEventTime);
        Assert.Equal(At(9_000), all.LastEventTime);
        Assert.Equal(2, ranged.TotalCount);
        Assert.Equal(At(2_000), ranged.FirstEventTime);
        Assert.Equal(At(3_000), ranged.LastEventTime);
    }

    [SkippableFact]
    public async Task Answers_zero_and_no_times_for_an_app_with_no_events()
    {
        var stats = await _hosts.Events.GetWebhookEventStatsAsync(new GetWebhookEventStatsRequest { SdkAppId = "1400000001" });

        Assert.Equal(0, stats.TotalCount);
        Assert.Empty(stats.ByCallbackCommand);
        Assert.Null(stats.FirstEventTime);
        Assert.Null(stats.LastEventTime);
    }
}

public sealed class SqliteWebhookEventStatsTests() : WebhookEventStatsTests(TestDatabases.Sqlite);

public sealed class PostgresWebhookEventStatsTests() : WebhookEventStatsTests(TestDatabases.Postgres);
