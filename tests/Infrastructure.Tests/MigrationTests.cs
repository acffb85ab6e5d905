using CleanChat.Infrastructure.Sqlite;
using CleanChat.Infrastructure.Persistence;
using CleanChat.TestSupport;

namespace CleanChat.Infrastructure.Tests;

/// <summary>The SQLite migrator: the file, its header and its write lock.</summary>
public sealed class SqliteMigrationTests
{
    [Fact]
    public async Task Creates_the_schema_on_a_fresh_file_in_wal_mode()
    {
        await using var store = await StoreFixture.StartAsync(TestDatabases.Sqlite);

        Assert.Equal(SqliteMigrator.Latest, store.Database.Scalar<long>("PRAGMA user_version"));
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
        Assert.Equal(SqliteMigrator.Latest, database.Scalar<long>("PRAGMA user_version"));
        Assert.NotNull(await second.Events.GetAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Several_hosts_starting_at_once_on_a_fresh_file_migrate_it_once()
    {
        using var database = new TemporaryDatabase();
        var migrators = Enumerable.Range(0, 4).Select(_ => StoreFixture.CreateMigrator(database)).ToArray();

        await StoreFixture.MigrateAtOnceAsync(migrators);

        Assert.Equal(SqliteMigrator.Latest, database.Scalar<long>("PRAGMA user_version"));
        Assert.Equal(1, database.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'webhook_events'"));
    }

    [Fact]
    public async Task Rewrites_delivery_keys_stored_before_they_were_time_ordered_so_a_redelivery_is_still_a_duplicate()
    {
        using var database = new TemporaryDatabase();
        OlderSchema.Create(database, version: 2);
        // Rows as a version 2 database holds them: an account event under the old key form, and an unknown
        // command under its payload key, which 0003 leaves as it is and 0007 puts the event time in front of.
        const string payloadKey = "10:1400000000|9:Other.Cmd|sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        database.Scalar<long>(
            """
            INSERT INTO webhook_events (sdk_app_id, callback_command, official_account, event_time, receive_time, payload_json, delivery_key)
            VALUES ('1400000000', 'OfficialAccount.CallbackAfterOfficialAccountDestroyed', '@TOA#_old', 1670574414123, 1, '{}',
                    '10:1400000000|53:OfficialAccount.CallbackAfterOfficialAccountDestroyed|9:@TOA#_old|1670574414123'),
                   ('1400000000', 'Other.Cmd', NULL, 1670574414123, 1, '{}', @PayloadKey);
            SELECT 0
            """, new { PayloadKey = payloadKey });

        await using var store = await StoreFixture.StartAsync(database);
        var again = await store.Store.AppendAsync(Events.Destroyed("@TOA#_old", 1670574414123), null, CancellationToken.None);

        Assert.True(again.Duplicate);
        Assert.Equal(1, again.Sequence);
        Assert.Equal(2, database.CountEvents());
        Assert.Equal($"001670574414123|{payloadKey}", database.Scalar<string>("SELECT delivery_key FROM webhook_events WHERE sequence = 2"));
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

/// <summary>The PostgreSQL migrator: schema version table, advisory lock, refusals.</summary>
public sealed class PostgresMigrationTests
{
    [SkippableFact]
    public async Task Creates_the_schema_on_an_empty_database_and_records_its_version()
    {
        await using var store = await StoreFixture.StartAsync(TestDatabases.Postgres);

        Assert.Equal(store.Migrator.LatestVersion, store.Database.Scalar<int>("SELECT version FROM cleanchat_schema"));
        Assert.Equal(2, store.Database.Scalar<long>(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('webhook_events', 'official_accounts')"));
    }

    [SkippableFact]
    public async Task Several_nodes_starting_at_once_on_an_empty_database_migrate_it_once()
    {
        using var database = new TemporaryPostgresDatabase();
        var migrators = Enumerable.Range(0, 4).Select(_ => StoreFixture.CreateMigrator(database)).ToArray();

        await StoreFixture.MigrateAtOnceAsync(migrators);

        Assert.Equal(migrators[0].LatestVersion, database.Scalar<int>("SELECT version FROM cleanchat_schema"));
        Assert.Equal(1, database.Scalar<long>("SELECT COUNT(*) FROM cleanchat_schema"));
    }

    [SkippableFact]
    public async Task Leaves_an_up_to_date_database_and_its_rows_as_they_are()
    {
        using var database = new TemporaryPostgresDatabase();
        await using (var first = await StoreFixture.StartAsync(database))
        {
            await first.Store.AppendAsync(Events.Destroyed("@TOA#_kept", 1), null, CancellationToken.None);
        }

        await using var second = await StoreFixture.StartAsync(database);

        Assert.Equal(1, database.CountEvents());
        Assert.NotNull(await second.Events.GetAsync(1, CancellationToken.None));
    }

    [SkippableFact]
    public void Stops_with_a_message_naming_a_database_that_holds_another_applications_tables()
    {
        using var database = new TemporaryPostgresDatabase();
        database.Scalar<int>("CREATE TABLE invoices (id integer); SELECT 0");

        var error = Assert.Throws<InvalidOperationException>(() => StoreFixture.CreateMigrator(database).Migrate());

        Assert.Contains(database.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("not CleanChat's", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Stops_with_a_message_naming_a_database_from_a_newer_build()
    {
        using var database = new TemporaryPostgresDatabase();
        StoreFixture.CreateMigrator(database).Migrate();
        database.Scalar<int>("UPDATE cleanchat_schema SET version = 999; SELECT 0");

        var error = Assert.Throws<InvalidOperationException>(() => StoreFixture.CreateMigrator(database).Migrate());

        Assert.Contains(database.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }
}
