using System.Collections.Concurrent;
using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

public sealed class ShutdownTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sigterm_finishes_in_flight_webhooks_commits_them_and_exits_0()
    {
        using var host = HostProcess.StartWebhookApi(_database.FilePath);
        await host.WaitUntilServingAsync();
        using var client = new WebhookClient(host.Address);
        var answeredOk = new ConcurrentDictionary<string, bool>();
        var next = 0;
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int>? exitCode = null;

        async Task SendAsync()
        {
            while (!host.Exited.IsCompleted)
            {
                var account = $"@TOA#_term_{Interlocked.Increment(ref next)}";
                try
                {
                    var answer = await client.PostAsync(account);
                    // While stopping, a request is either finished and committed (OK) or never taken.
                    Assert.True(answer.IsOk || answer.IsStorageFailure, $"{account} answered {answer}");
                    if (answer.IsOk)
                    {
                        answeredOk[account] = true;
                    }

                    if (answeredOk.Count >= 50 && stopping.TrySetResult())
                    {
                        exitCode = host.TerminateAsync();
                    }
                }
                catch (HttpRequestException)
                {
                    // Refused or closed: the host no longer accepts. Keep trying until it is gone.
                    await Task.WhenAny(host.Exited, Task.Delay(10));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(SendAsync))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(exitCode);
        Assert.Equal(0, await exitCode);
        Assert.Contains("Application is shutting down", host.Output, StringComparison.Ordinal);
        var stored = _database.Scalar<long>("SELECT COUNT(*) FROM webhook_events");
        Assert.All(answeredOk.Keys, account => Assert.Equal(1, _database.Scalar<long>(
            "SELECT COUNT(*) FROM webhook_events WHERE official_account = @account", new { account })));
        // Nothing committed was left unanswered: every stored event got its OK before the process exited.
        Assert.Equal(answeredOk.Count, stored);
    }
}
