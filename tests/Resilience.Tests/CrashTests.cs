using System.Collections.Concurrent;
using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

public sealed class CrashTests : IDisposable
{
    private const int Senders = 16;

    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Every_event_answered_ok_survives_sigkill_exactly_once()
    {
        var answeredOk = new ConcurrentDictionary<string, bool>();
        var unanswered = new ConcurrentDictionary<string, bool>();
        // Kill after a different number of OKs each round, so the kill lands at different points of the load.
        int[] killAfter = [1, 20, 60, 120, 200];

        for (var round = 0; round < killAfter.Length; round++)
        {
            using var host = HostProcess.StartWebhookApi(_database.FilePath);
            await host.WaitUntilServingAsync();
            await DriveUntilKilledAsync(host, round, killAfter[round], answeredOk, unanswered);
        }

        using (var last = HostProcess.StartWebhookApi(_database.FilePath))
        {
            await last.WaitUntilServingAsync();
            // Tencent redelivers what got no answer; each must end up stored once, never twice.
            using var client = new WebhookClient(last.Address);
            foreach (var account in unanswered.Keys)
            {
                Assert.True((await client.PostAsync(account)).IsOk);
            }

            Assert.Equal(0, await last.TerminateAsync());
        }

        Assert.True(answeredOk.Count >= killAfter.Sum());
        Assert.Equal("ok", _database.Scalar<string>("PRAGMA integrity_check"));
        var stored = StoredAccounts();
        Assert.All(answeredOk.Keys, account => Assert.Equal(1, stored.GetValueOrDefault(account)));
        Assert.All(unanswered.Keys, account => Assert.Equal(1, stored.GetValueOrDefault(account)));
        Assert.Equal(answeredOk.Count + unanswered.Count, stored.Count);
    }

    private static async Task DriveUntilKilledAsync(
        HostProcess host, int round, int killAfter,
        ConcurrentDictionary<string, bool> answeredOk, ConcurrentDictionary<string, bool> unanswered)
    {
        using var client = new WebhookClient(host.Address);
        var okThisRound = 0;
        var next = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task SendAsync()
        {
            while (!killed.Task.IsCompleted)
            {
                var account = $"@TOA#_crash_{round}_{Interlocked.Increment(ref next)}";
                try
                {
                    var answer = await client.PostAsync(account);
                    Assert.True(answer.IsOk, $"{account} answered {answer}");
                    answeredOk[account] = true;
                    if (Interlocked.Increment(ref okThisRound) == killAfter)
                    {
                        await host.KillAsync();
                        killed.TrySetResult();
                    }
                }
                catch (HttpRequestException)
                {
                    // No answer: the process is gone. Tencent would redeliver it.
                    unanswered[account] = true;
                    await killed.Task.WaitAsync(HostProcess.ExitTimeout);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendAsync))).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private Dictionary<string, long> StoredAccounts()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString + ";Pooling=False");
        return Dapper.SqlMapper.Query<(string Account, long Count)>(
                connection, "SELECT official_account, COUNT(*) FROM webhook_events GROUP BY official_account")
            .ToDictionary(r => r.Account, r => r.Count);
    }
}
