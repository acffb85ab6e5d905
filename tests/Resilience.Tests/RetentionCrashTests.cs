using CleanChat.Infrastructure.Retention;
using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// WebhookApi killed (SIGKILL) while its retention job archives and deletes a backlog, at several points of the run,
/// then started again until the backlog is gone: nothing lost, nothing archived twice, the floor always consistent.
/// </summary>
public sealed class RetentionCrashTests : IDisposable
{
    private const int Backlog = 6_000;
    private const int BatchSize = 100;

    private readonly TemporaryDatabase _database = new();
    private readonly string _archive = Directory.CreateTempSubdirectory("cleanchat-archive-").FullName;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_archive, recursive: true);
    }

    private HostProcess Start() => HostProcess.StartWebhookApi(_database.FilePath,
        ("Retention__MaxAge", "30.00:00:00"), ("Retention__ArchivePath", _archive),
        ("Retention__IntervalSeconds", "1"), ("Retention__BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private int Confirmed() => Directory.GetFiles(_archive, "*.manifest.json").Length;

    [Fact]
    public async Task A_sigkill_anywhere_in_a_retention_run_loses_nothing_and_archives_nothing_twice()
    {
        using (var first = HostProcess.StartWebhookApi(_database.FilePath))
        {
            await first.WaitUntilServingAsync(); // migrated
            await first.KillAsync();
        }

        var old = DateTimeOffset.UtcNow.AddDays(-40).ToUnixTimeMilliseconds();
        _database.Scalar<long>($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Backlog})
            INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, event_time, receive_time,
                payload_json, delivery_key)
            SELECT '1400000000', 'OfficialAccount.CallbackAfterOfficialAccountDestroyed', '@TOA#_' || i, {old} + i, {old} + i,
                '{"{"}"n":' || i || '{"}"}', 'crash-' || i FROM n;
            SELECT 0
            """);

        // Each kill lands later in the run, so at a different step of some batch: writing, confirming or deleting.
        foreach (var confirmedBeforeKill in new[] { 1, 7, 19, 33 })
        {
            using var host = Start();
            string Logs() => HostProcess.LogsOf(("WebhookApi", host));
            await Waits.UntilAsync(() => Task.FromResult(Confirmed() >= confirmedBeforeKill),
                $"{confirmedBeforeKill} confirmed archive ranges", Logs, TimeSpan.FromSeconds(60));
            await host.KillAsync();
            AssertFloorConsistent();
        }

        using (var last = Start())
        {
            await Waits.UntilAsync(() => Task.FromResult(_database.CountEvents() == 0),
                "the whole backlog removed", () => HostProcess.LogsOf(("WebhookApi", last)), TimeSpan.FromSeconds(120));
            await last.KillAsync();
        }

        AssertFloorConsistent();
        var archive = new EventArchive(_archive);
        var ranges = archive.Ranges();
        var sequences = ranges.SelectMany(r => EventArchive.Read(Path.Combine(_archive, r.File)).Select(e => e.Sequence)).ToList();
        Assert.Equal(Enumerable.Range(1, Backlog).Select(i => (long)i), sequences);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.Last + 1, pair.Second.First));
        Assert.Equal(ranges.Count * 2, Directory.GetFiles(_archive).Length); // no unconfirmed or temporary files left
        Assert.Equal(Backlog + 1, _database.Scalar<long>("SELECT first_sequence FROM retention_floor"));
    }

    /// <summary>Below the floor nothing is left; from it up every event is still there.</summary>
    private void AssertFloorConsistent()
    {
        var floor = _database.Scalar<long>("SELECT first_sequence FROM retention_floor");
        Assert.Equal(0, _database.Scalar<long>("SELECT COUNT(*) FROM webhook_events WHERE sequence < @Floor", new { Floor = floor }));
        Assert.Equal(Backlog - floor + 1, _database.CountEvents());
    }
}
