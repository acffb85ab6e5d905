using System.Diagnostics;
using CleanChat.TestSupport;
using Npgsql;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// Backing up a PostgreSQL store: the <c>backup</c> verb, through the real executable, says to use PostgreSQL's own
/// tools and exits 2; and the commands it and operations.md give (<c>pg_dump --format=custom</c> while a node takes
/// callbacks, <c>pg_restore</c> into an empty database) make a database a node serves and goes on from.
/// </summary>
public sealed class PostgresBackupTests : IDisposable
{
    private readonly TemporaryPostgresDatabase _database = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("cleanchat-pg-backup-").FullName;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [SkippableFact]
    public async Task The_backup_verb_explains_pg_dump_and_pg_restore_exits_2_and_writes_nothing()
    {
        var target = Path.Combine(_folder, "cleanchat.db");

        var (exitCode, output, error) = await HostProcess.RunWebhookApiVerbAsync(["backup", target],
            ("Storage__Engine", "Postgres"), ("ConnectionStrings__CleanChat", _database.ConnectionString));

        Assert.Equal(2, exitCode);
        Assert.Contains("On PostgreSQL, back up with PostgreSQL's own tools", error, StringComparison.Ordinal);
        Assert.Contains("pg_dump --format=custom --file=cleanchat.dump", error, StringComparison.Ordinal);
        Assert.Contains("pg_restore --dbname=", error, StringComparison.Ordinal);
        Assert.Equal("", output.Trim());
        Assert.False(File.Exists(target));
    }

    [SkippableFact]
    public async Task A_pg_dump_taken_while_a_node_takes_callbacks_restores_into_a_database_a_node_serves_and_goes_on_from()
    {
        using var restored = TemporaryPostgresDatabase.On(_database.Server);
        var dump = Path.Combine(_folder, "cleanchat.dump");
        using var node = HostProcess.StartWebhookApi(_database, ("Storage__Spool__Enabled", "false"));
        string Logs() => HostProcess.LogsOf(("WebhookApi", node));
        await node.WaitUntilServingAsync();
        using var client = new WebhookClient(node.Address);
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await client.PostAsync($"@TOA#_before_{i}")).IsOk, Logs());
        }

        // Callbacks go on committing while pg_dump reads its snapshot.
        using var stop = new CancellationTokenSource();
        var posted = 0;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await client.PostAsync($"@TOA#_during_{posted}");
                Assert.True(answer.IsOk, answer.ToString());
                posted++;
            }
        });
        await RunAsync(_database.Server.Program("pg_dump"), "--format=custom", $"--file={dump}", Conninfo(_database));
        await stop.CancelAsync();
        await load;
        await RunAsync(_database.Server.Program("pg_restore"), $"--dbname={Conninfo(restored)}", dump);

        var held = restored.Scalar<long>("SELECT MAX(sequence) FROM webhook_events");
        Assert.InRange(held, 20, _database.CountEvents());
        Assert.Equal(
            _database.Rows<string>("SELECT delivery_key FROM webhook_events WHERE sequence <= @Held ORDER BY sequence", new { Held = held }),
            restored.Rows<string>("SELECT delivery_key FROM webhook_events ORDER BY sequence"));
        Assert.Equal(1, restored.Scalar<long>("SELECT first_sequence FROM retention_floor"));

        using var onRestored = HostProcess.StartWebhookApi(restored, ("Storage__Spool__Enabled", "false"));
        await onRestored.WaitUntilServingAsync();
        using var restoredClient = new WebhookClient(onRestored.Address);
        var after = await restoredClient.PostAsync("@TOA#_after_restore");

        Assert.True(after.IsOk, after.ToString());
        Assert.True(restored.Scalar<long>("SELECT sequence FROM webhook_events WHERE official_account = '@TOA#_after_restore'") > held);
        Assert.Equal(0, await onRestored.TerminateAsync());
        Assert.Equal(0, await node.TerminateAsync());
    }

    /// <summary>The libpq connection string an operator would give pg_dump and pg_restore for <paramref name="database"/>.</summary>
    private static string Conninfo(TemporaryPostgresDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"host={builder.Host} port={builder.Port} dbname={builder.Database} user={builder.Username}";
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await error}");
    }
}
