using System.Diagnostics;
using CleanChat.TestSupport;
using Microsoft.Data.Sqlite;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// The retention job's archive folder breaks under a running WebhookApi, for real: missing, a read-only mount, a full disk. Each
/// run fails with an error line and a failed-run count, deletes nothing, and callbacks are still taken; once the folder
/// is fixed the next run archives and deletes the backlog, each event once. Root ignores permission bits, so the
/// read-only folder is a tmpfs mounted read-only, and the full one a 2 MB tmpfs filled up: both need root. The missing
/// folder (a mount that is not there) needs nothing.
/// </summary>
public sealed class ArchiveFaultTests : IDisposable
{
    private const int Backlog = 500;
    private const string FailedLine = "Retention run failed and stopped at floor 1 after deleting 0 events";

    private readonly TemporaryDatabase _database = new();
    private readonly string _archive = Directory.CreateTempSubdirectory("cleanchat-archive-").FullName;
    private bool _mounted;

    public enum Fault
    {
        Missing,
        ReadOnly,
        Full,
    }

    public void Dispose()
    {
        if (_mounted)
        {
            FileSystems.Unmount(_archive);
        }

        _database.Dispose();
        if (Directory.Exists(_archive))
        {
            Directory.Delete(_archive, recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData(Fault.Missing)]
    [InlineData(Fault.ReadOnly)]
    [InlineData(Fault.Full)]
    public async Task A_broken_archive_folder_fails_each_run_deletes_nothing_ingest_goes_on_and_the_job_recovers_once_it_is_fixed(Fault fault)
    {
        Prerequisite.Require(fault == Fault.Missing || Environment.IsPrivilegedProcess, "Mounting a read-only or a small tmpfs needs root.");
        await MigrateAsync();
        RetentionBacklog.Seed(_database, Backlog);
        var filler = Path.Combine(_archive, "filler");
        Break(fault, filler);

        using var host = HostProcess.StartWebhookApi(_database.FilePath,
            ("Retention__MaxAge", RetentionBacklog.MaxAge), ("Retention__ArchivePath", _archive),
            ("Retention__IntervalSeconds", "1"), ("Retention__BatchSize", "100"));
        string Logs() => HostProcess.LogsOf(("WebhookApi", host));
        await host.WaitUntilServingAsync();
        using var client = new WebhookClient(host.Address);
        await Waits.WithinAsync(host.WhenLoggedAsync(FailedLine), "a failed retention run", Logs, TimeSpan.FromSeconds(30));
        var failedRuns = await ServerMetrics.SumAsync(host.Address, "cleanchat_retention_runs_total", "outcome=\"failed\"");
        var during = await client.PostAsync("@TOA#_during");
        var floorDuring = RetentionBacklog.Floor(_database);
        var confirmedDuring = Directory.Exists(_archive) ? Directory.GetFiles(_archive, "*.manifest.json") : [];

        Assert.True(failedRuns >= 1, Logs());
        Assert.Contains(Reason(fault), host.Output, StringComparison.Ordinal);
        Assert.Equal(0, await ServerMetrics.SumAsync(host.Address, "cleanchat_retention_deleted_total"));
        Assert.True(during.IsOk, during.ToString());
        Assert.Equal((1L, 0L, Backlog + 1L), floorDuring);
        Assert.Empty(confirmedDuring);

        Repair(fault, filler);
        await Waits.UntilAsync(() => Task.FromResult(RetentionBacklog.Floor(_database).Floor == Backlog + 1),
            "the backlog archived and deleted once the folder is fixed", Logs, TimeSpan.FromSeconds(60));

        Assert.Equal((Backlog + 1L, 0L, 1L), RetentionBacklog.Floor(_database));
        Assert.Equal("@TOA#_during", _database.Scalar<string>("SELECT official_account FROM webhook_events"));
        RetentionBacklog.AssertArchived(_archive, Backlog);
        await Waits.UntilAsync(
            async () => await ServerMetrics.SumAsync(host.Address, "cleanchat_retention_deleted_total") == Backlog,
            "the deleted count to reach the backlog", Logs);
        Assert.Equal(Backlog, await ServerMetrics.SumAsync(host.Address, "cleanchat_retention_archived_total"));
        Assert.Equal(0, await host.TerminateAsync());
    }

    /// <summary>The schema, as the host makes it on its first start; the backlog is written into it afterwards.</summary>
    private async Task MigrateAsync()
    {
        using var first = HostProcess.StartWebhookApi(_database.FilePath);
        await first.WaitUntilServingAsync();
        Assert.Equal(0, await first.TerminateAsync());
        SqliteConnection.ClearAllPools();
    }

    private static string Reason(Fault fault) => fault switch
    {
        Fault.Missing => "(Retention:ArchivePath) does not exist",
        Fault.ReadOnly => "Read-only file system",
        Fault.Full => "No space left on device",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    private void Break(Fault fault, string filler)
    {
        if (fault == Fault.Missing)
        {
            Directory.Delete(_archive);
            return;
        }

        if (fault == Fault.ReadOnly)
        {
            FileSystems.MountSmall(_archive, readOnly: true);
            _mounted = true;
            return;
        }

        FileSystems.MountSmall(_archive);
        _mounted = true;
        FileSystems.Fill(filler);
    }

    private void Repair(Fault fault, string filler)
    {
        if (fault == Fault.Missing)
        {
            Directory.CreateDirectory(_archive);
        }
        else if (fault == Fault.ReadOnly)
        {
            FileSystems.RemountWritable(_archive);
        }
        else
        {
            File.Delete(filler);
        }
    }
}
