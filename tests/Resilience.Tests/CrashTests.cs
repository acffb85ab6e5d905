using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// WebhookApi killed (SIGKILL) on one SQLite file, round after round, each time with webhooks it has taken and cannot
/// commit yet: the test holds the file's write lock, so the kill lands between taking a webhook and answering it.
/// </summary>
public sealed class CrashTests : IDisposable
{
    /// <summary>Webhooks in flight at each kill, and senders before it.</summary>
    private const int Senders = 16;

    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_sigkill_cuts_off_the_webhooks_waiting_to_commit_keeps_every_ok_once_and_each_redelivery_is_stored_once()
    {
        var answeredOk = new HashSet<string>();
        var cutOff = new HashSet<string>();
        // A different number of OKs before each kill, so each kill finds a different history in the file and its WAL.
        int[] okBeforeKill = [1, 20, 60, 120, 200];

        for (var round = 0; round < okBeforeKill.Length; round++)
        {
            // The host waits for the write lock rather than answer FAIL while the test holds it.
            using var host = HostProcess.StartWebhookApi(_database.FilePath, ("Storage__BusyTimeoutMs", "30000"));
            await host.WaitUntilServingAsync();
            string Logs() => HostProcess.LogsOf(("WebhookApi", host));
            using var client = new WebhookClient(host.Address);
            answeredOk.UnionWith(await SendAllOkAsync(client, round, okBeforeKill[round], Logs));

            var waiting = Enumerable.Range(1, Senders).Select(i => $"@TOA#_crash_{round}_waiting_{i}").ToList();
            Task<WebhookClient.Answer>[] answers;
            using (_database.HoldWriteLock())
            {
                answers = [.. waiting.Select(client.PostAsync)];
                await Waits.UntilAsync(async () => await ServerMetrics.ActiveRequestsAsync(host.Address, "POST") == Senders,
                    $"the host to hold all {Senders} webhooks sent while the file is locked", Logs);
                await host.KillAsync();
            }

            var outcomes = await Task.WhenAll(answers.Select(Outcome));
            var storedAfterKill = StoredAccounts();

            Assert.True(outcomes.All(o => o is HttpRequestException),
                $"round {round}: webhooks that could not commit before the kill were answered: {string.Join("; ", outcomes.Select(o => o.Message))}\n{Logs()}");
            var lost = answeredOk.Where(a => storedAfterKill.GetValueOrDefault(a) != 1).ToList();
            Assert.True(lost.Count == 0, $"round {round}: answered OK but not stored exactly once after the kill: {string.Join(", ", lost.Take(5))}\n{Logs()}");
            var unexpected = storedAfterKill.Keys.Where(a => !answeredOk.Contains(a)).ToList();
            Assert.True(unexpected.Count == 0, $"round {round}: stored though never answered OK: {string.Join(", ", unexpected.Take(5))}\n{Logs()}");
            cutOff.UnionWith(waiting);
        }

        using (var last = HostProcess.StartWebhookApi(_database.FilePath))
        {
            await last.WaitUntilServingAsync();
            // Tencent redelivers what got no answer; each must end up stored once, never twice.
            using var client = new WebhookClient(last.Address);
            foreach (var account in cutOff)
            {
                var answer = await client.PostAsync(account);
                Assert.True(answer.IsOk, $"redelivery of {account}: {answer}\n{HostProcess.LogsOf(("WebhookApi", last))}");
            }

            Assert.Equal(0, await last.TerminateAsync());
        }

        Assert.Equal("ok", _database.Scalar<string>("PRAGMA integrity_check"));
        var stored = StoredAccounts();
        Assert.All(answeredOk, account => Assert.Equal(1, stored.GetValueOrDefault(account)));
        Assert.All(cutOff, account => Assert.Equal(1, stored.GetValueOrDefault(account)));
        Assert.Equal(answeredOk.Count + cutOff.Count, stored.Count);
    }

    /// <summary>Sends <paramref name="count"/> distinct webhooks from <see cref="Senders"/> senders; each must be answered OK.</summary>
    private static async Task<IReadOnlyList<string>> SendAllOkAsync(WebhookClient client, int round, int count, Func<string> logs)
    {
        var accounts = Enumerable.Range(1, count).Select(i => $"@TOA#_crash_{round}_{i}").ToList();
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (account, _) =>
        {
            var answer = await client.PostAsync(account);
            Assert.True(answer.IsOk, $"{account} answered {answer}\n{logs()}");
        });
        return accounts;
    }

    /// <summary>What became of a webhook: its answer, or the exception that stands for none.</summary>
    private static async Task<Exception> Outcome(Task<WebhookClient.Answer> answer)
    {
        try
        {
            return new InvalidOperationException($"answered {await answer}");
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private Dictionary<string, long> StoredAccounts()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString + ";Pooling=False");
        return Dapper.SqlMapper.Query<(string Account, long Count)>(
                connection, "SELECT official_account, COUNT(*) FROM webhook_events GROUP BY official_account")
            .ToDictionary(r => r.Account, r => r.Count);
    }
}
