using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Verbs;

namespace CleanChat.GrpcApi.Tests;

/// <summary>The webhook host's <c>backup</c> verb on SQLite, taken while callbacks commit, and hosts started on the copy.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly HostsFixture _hosts = new(engine: TestDatabases.Sqlite);
    private readonly TemporaryDatabase _restored = new();

    public void Dispose()
    {
        _hosts.Dispose();
        _restored.Dispose();
    }

    [Fact]
    public async Task A_backup_taken_under_load_is_served_whole_by_hosts_started_on_it_and_a_watch_resumes_there()
    {
        for (var i = 1; i <= 20; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        // Callbacks go on committing while the copy is taken.
        using var stop = new CancellationTokenSource();
        var posted = 20;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref posted);
                await _hosts.PostDestroyedAsync($"@TOA#_{n}", n);
            }
        });
        var exit = HostVerbs.Run(["backup", _restored.FilePath,
            "--Storage:Engine=Sqlite", $"--ConnectionStrings:CleanChat={_hosts.Database.ConnectionString}"]);
        await stop.CancelAsync();
        await load;

        Assert.Equal(0, exit);
        Assert.True(File.Exists(_restored.FilePath));
        Assert.False(File.Exists(_restored.FilePath + ".tmp"));
        var held = _restored.Scalar<long>("SELECT MAX(sequence) FROM webhook_events");
        Assert.Equal(held, _restored.CountEvents());
        Assert.InRange(held, 20, _hosts.Database.CountEvents());

        using var webhook = new WebhookApiFactory(_restored);
        using var grpc = new GrpcApiFactory(_restored);
        using var channel = grpc.CreateChannel();
        var events = new WebhookEventService.WebhookEventServiceClient(channel);
        var served = new List<long>();
        var request = new ListWebhookEventsRequest { Order = ListWebhookEventsRequest.Types.Order.SequenceAscending, PageSize = 100 };
        do
        {
            var page = await events.ListWebhookEventsAsync(request);
            served.AddRange(page.Events.Select(e => e.Sequence));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(Enumerable.Range(1, (int)held).Select(i => (long)i), served);

        using var watch = events.WatchWebhookEvents(new WatchWebhookEventsRequest { AfterSequence = held - 1 });
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(held, watch.ResponseStream.Current.Sequence);
        (await webhook.PostAsync(TencentSample.Query, TencentSample.DestroyedBody("@TOA#_after", 1_000_000, "107867", "n"))).EnsureSuccessStatusCode();
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(held + 1, watch.ResponseStream.Current.Sequence);
    }
}
