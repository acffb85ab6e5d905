using CleanChat.TestSupport;
using Microsoft.Extensions.Options;

namespace CleanChat.WebhookApi.Tests;

/// <summary>A storage setting that cannot work stops the host at start-up, with a message naming the keys to fix.</summary>
public sealed class StorageSettingsTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("Postgres", "Data Source=data/cleanchat.db")]
    [InlineData("Sqlite", "Host=127.0.0.1;Port=5432;Database=cleanchat;Username=cleanchat")]
    public async Task Stops_when_the_connection_string_does_not_fit_the_engine_naming_both_keys(string engine, string connectionString)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Engine"] = engine,
            ["ConnectionStrings:CleanChat"] = connectionString,
        };

        var error = Assert.IsType<OptionsValidationException>(await StartupRefusal.OfWebhookApiAsync(_database, settings));

        Assert.Contains("ConnectionStrings:CleanChat", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:Engine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stops_on_an_engine_it_does_not_know()
    {
        var settings = new Dictionary<string, string?> { ["Storage:Engine"] = "Mongo" };

        var error = Assert.IsType<OptionsValidationException>(await StartupRefusal.OfWebhookApiAsync(_database, settings));

        Assert.Contains("Storage:Engine must be Sqlite or Postgres, not 'Mongo'", error.Message, StringComparison.Ordinal);
    }
}
