using CleanChat.TestSupport;
using Microsoft.Extensions.Options;

namespace CleanChat.WebhookApi.Tests;

/// <summary>Retention that would delete history without saying where it goes stops the host at start-up, naming the keys.</summary>
public sealed class RetentionSettingsTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Stops_when_max_age_is_set_without_an_archive_path_or_delete_without_archive()
    {
        var settings = new Dictionary<string, string?> { ["Retention:MaxAge"] = "30.00:00:00" };

        var error = Assert.IsType<OptionsValidationException>(await StartupRefusal.OfWebhookApiAsync(_database, settings));

        Assert.Contains("Retention:MaxAge", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retention:ArchivePath", error.Message, StringComparison.Ordinal);
        Assert.Contains("Retention:DeleteWithoutArchive", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Retention:MaxAge", "-1.00:00:00", "Retention:MaxAge must be a positive TimeSpan")]
    [InlineData("Retention:IntervalSeconds", "0", "Retention:IntervalSeconds must be between 1 and 86400")]
    public async Task Stops_on_a_retention_value_out_of_range_naming_the_key(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            [key] = value,
            ["Retention:DeleteWithoutArchive"] = "true",
        };

        var error = Assert.IsType<OptionsValidationException>(await StartupRefusal.OfWebhookApiAsync(_database, settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Starts_with_retention_off_by_default()
    {
        using var host = new WebhookApiFactory(_database);

        using var client = host.CreateClient();

        Assert.NotNull(client);
    }
}
