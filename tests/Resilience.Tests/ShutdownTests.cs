using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

public sealed class ShutdownTests : IDisposable
{
    /// <summary>Webhooks in flight when SIGTERM arrives.</summary>
    private const int InFlight = 16;

    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sigterm_finishes_in_flight_webhooks_commits_them_and_exits_0()
    {
        // The host waits for the write lock rather than answer FAIL while the test holds it.
        using var host = HostProcess.StartWebhookApi(_database.FilePath, ("Storage__BusyTimeoutMs", "30000"));
        await host.WaitUntilServingAsync();
        string Logs() => HostProcess.LogsOf(("WebhookApi", host));
        using var client = new WebhookClient(host.Address);
        var before = await client.PostAsync("@TOA#_before");
        var accounts = Enumerable.Range(1, InFlight).Select(i => $"@TOA#_term_{i}").ToList();

        // The webhooks are taken but cannot commit until SIGTERM has reached the host: they are in flight when it stops.
        Task<WebhookClient.Answer[]> answers;
        using (_database.HoldWriteLock())
        {
            answers = Task.WhenAll(accounts.Select(client.PostAsync));
            await Waits.UntilAsync(async () => await ServerMetrics.ActiveRequestsAsync(host.Address, "POST") == InFlight,
                $"the host to hold all {InFlight} webhooks sent while the file is locked", Logs);
            await host.SignalTerminateAsync();
            await Waits.WithinAsync(host.WhenLoggedAsync(HostProcess.StoppingLine), "the host to begin stopping", Logs);
        }

        var exitCode = await host.WaitForExitAsync();
        var answered = await answers.WaitAsync(Waits.Patience);

        Assert.True(before.IsOk, before.ToString());
        Assert.True(answered.All(a => a.IsOk), $"in flight at SIGTERM, answered: {string.Join("; ", answered.Select(a => a.ToString()))}\n{Logs()}");
        Assert.Equal(0, exitCode);
        var stored = _database.Rows<string>("SELECT official_account FROM webhook_events ORDER BY sequence");
        Assert.Equal(accounts.Prepend("@TOA#_before").Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }
}
