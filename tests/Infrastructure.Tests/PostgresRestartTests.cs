using CleanChat.TestSupport;

namespace CleanChat.Infrastructure.Tests;

/// <summary>
/// Connections a node keeps between requests (the writer's, the prepared point reads') are cut when PostgreSQL
/// restarts. The first request after the restart must not pay for that with a 500 or an UNAVAILABLE.
/// </summary>
public sealed class PostgresRestartTests : IDisposable
{
    private readonly TemporaryPostgresDatabase _database = TemporaryPostgresDatabase.OnItsOwnServer();

    public void Dispose() => _database.Dispose();

    [SkippableFact]
    public async Task The_first_append_and_the_first_point_read_after_a_restart_succeed_on_fresh_connections()
    {
        await using var store = await StoreFixture.StartAsync(_database);
        var before = await store.Store.AppendAsync(Events.Destroyed("@TOA#_before", 1), null, CancellationToken.None);
        // Several reads at once keep several prepared statements, each on a connection of its own.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.Events.GetAsync(before.Sequence, CancellationToken.None))));

        await _database.Server.StopAsync(immediate: true);
        await _database.Server.StartAsync();
        var after = await store.Store.AppendAsync(Events.Destroyed("@TOA#_after", 2), null, CancellationToken.None);
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.Events.GetAsync(after.Sequence, CancellationToken.None))));

        Assert.False(after.Duplicate);
        Assert.True(after.Sequence > before.Sequence);
        Assert.All(reads, e => Assert.Equal("@TOA#_after", e?.OfficialAccount));
    }
}
