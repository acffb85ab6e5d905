using CleanChat.Infrastructure.Sqlite;
using CleanChat.Infrastructure.Persistence;
using System.Text.Json;
using CleanChat.TestSupport;
using Microsoft.Data.Sqlite;

namespace CleanChat.Resilience.Tests;

public sealed class StartupTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_corrupt_file_stops_start_up_with_a_message_naming_it()
    {
        await File.WriteAllTextAsync(_database.FilePath, "not a database " + new string('x', 8192));

        using var host = HostProcess.StartWebhookApi(_database.FilePath);
        var exitCode = await host.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"The database file '{_database.FilePath}'", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_applications_database_stops_start_up_with_a_message_naming_it()
    {
        using (var foreign = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            foreign.Open();
            using var create = foreign.CreateCommand();
            create.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)";
            create.ExecuteNonQuery();
        }

        using var host = HostProcess.StartWebhookApi(_database.FilePath);
        var exitCode = await host.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"The database file '{_database.FilePath}' already holds tables that are not CleanChat's", host.Output, StringComparison.Ordinal);
        Assert.Equal(0, _database.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'webhook_events'"));
    }

    [Fact]
    public async Task Two_hosts_starting_at_once_on_a_fresh_file_both_serve_and_migrate_it_once()
    {
        using var first = HostProcess.StartWebhookApi(_database.FilePath);
        using var second = HostProcess.StartWebhookApi(_database.FilePath);
        await Task.WhenAll(first.WaitUntilServingAsync(), second.WaitUntilServingAsync());
        using var firstClient = new WebhookClient(first.Address);
        using var secondClient = new WebhookClient(second.Address);

        var answers = await Task.WhenAll(firstClient.PostAsync("@TOA#_first"), secondClient.PostAsync("@TOA#_second"));

        var exits = (await first.TerminateAsync(), await second.TerminateAsync());
        // Should this ever fail, the message carries both hosts' logs.
        var logs = $"first host:\n{first.Output}\nsecond host:\n{second.Output}";
        Assert.All(answers, a => Assert.True(a.IsOk, $"{a}\n{logs}"));
        Assert.True(exits == (0, 0), $"exit codes {exits}\n{logs}");
        Assert.Equal(SqliteMigrator.Latest, _database.Scalar<long>("PRAGMA user_version"));
        Assert.Equal(2, _database.CountEvents());
        var migrations = Count(first.Output, "Applying migration 0001") + Count(second.Output, "Applying migration 0001");
        Assert.True(migrations == 1, $"migration 0001 applied {migrations} times\n{logs}");
    }

    [Fact]
    public async Task Logs_one_json_object_per_line_when_the_json_formatter_is_configured()
    {
        using var host = HostProcess.StartWebhookApi(_database.FilePath, ("Logging__Console__FormatterName", "json"));
        await host.WaitUntilServingAsync();
        Assert.Equal(0, await host.TerminateAsync());

        var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var categories = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("Category").GetString()).ToList();
        Assert.Contains("Microsoft.Hosting.Lifetime", categories);
    }

    private static int Count(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
