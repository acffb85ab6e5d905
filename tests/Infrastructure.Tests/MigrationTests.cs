using CleanChat.Infrastructure.Persistence;
using CleanChat.TestSupport;

namespace CleanChat.Infrastructure.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Creates_the_schema_on_a_fresh_file_in_wal_mode()
    {
        await using var store = await StoreFixture.StartAsync();

        Assert.Equal(DatabaseMigrator.LatestVersion, store.Database.Scalar<long>("PRAGMA user_version"));
        Assert.Equal("wal", store.Database.Scalar<string>("PRAGMA journal_mode"));
        Assert.Equal(2, store.Database.Scalar<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('webhook_events', 'official_accounts')"));
    }

    [Fact]
    public async Task Leaves_an_up_to_date_file_and_its_rows_as_they_are()
    {
        using var database = new TemporaryDatabase();
        await using (var first = await StoreFixture.StartAsync(database))
        {
            await first.Store.AppendAsync(Events.Destroyed("@TOA#_kept", 1), null, CancellationToken.None);
        }

        await using var second = await StoreFixture.StartAsync(database);

        Assert.Equal(1, database.CountEvents());
        Assert.Equal(DatabaseMigrator.LatestVersion, database.Scalar<long>("PRAGMA user_version"));
        Assert.NotNull(await second.Events.GetAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Several_hosts_starting_at_once_on_a_fresh_file_migrate_it_once()
    {
        using var database = new TemporaryDatabase();
        using var start = new ManualResetEventSlim();
        var migrators = Enumerable.Range(0, 4).Select(_ => StoreFixture.CreateMigrator(database)).ToArray();

        var running = migrators.Select(m => Task.Run(() =>
        {
            start.Wait();
            m.Migrate();
        })).ToArray();
        start.Set();
        await Task.WhenAll(running);

        Assert.Equal(DatabaseMigrator.LatestVersion, database.Scalar<long>("PRAGMA user_version"));
        Assert.Equal(1, database.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'webhook_events'"));
    }

    [Fact]
    public void Stops_with_a_message_naming_a_file_that_is_not_a_database()
    {
        using var database = new TemporaryDatabase();
        File.WriteAllText(database.FilePath, "this is not a SQLite database, just some text that fills a page. " + new string('x', 4096));

        var error = Assert.Throws<InvalidOperationException>(() => StoreFixture.CreateMigrator(database).Migrate());

        Assert.Contains(database.FilePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stops_with_a_message_naming_a_file_from_a_newer_build()
    {
        using var database = new TemporaryDatabase();
        database.Scalar<long>("PRAGMA user_version = 999; SELECT 0");

        var error = Assert.Throws<InvalidOperationException>(() => StoreFixture.CreateMigrator(database).Migrate());

        Assert.Contains(database.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Takes_no_write_lock_on_an_up_to_date_file()
    {
        using var database = new TemporaryDatabase();
        StoreFixture.CreateMigrator(database).Migrate();
        using var writer = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString + ";Pooling=False");
        writer.Open();
        using var held = writer.BeginTransaction(deferred: false);

        // Another process holds the write lock; a restart must not wait for it or fail on it.
        var migrated = Task.Run(() => StoreFixture.CreateMigrator(database).Migrate());

        await migrated.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(migrated.IsCompletedSuccessfully);
    }
}
