using CleanChat.TestSupport;
using Dapper;
using Npgsql;

namespace CleanChat.Infrastructure.Tests;

/// <summary>The throwaway PostgreSQL server the PostgreSQL tests run on is a real one, and isolates them.</summary>
public sealed class PostgresServerTests
{
    [SkippableFact]
    public void Each_database_is_new_empty_and_its_own()
    {
        using var first = new TemporaryPostgresDatabase();
        using var second = new TemporaryPostgresDatabase();

        Assert.Same(PostgresServer.Acquire(), first.Server);
        Assert.Same(first.Server, second.Server);
        Assert.NotEqual(first.Name, second.Name);
        Assert.Equal("Postgres", first.Engine);
        var settings = new NpgsqlConnectionStringBuilder(first.ConnectionString);
        Assert.Equal(("127.0.0.1", first.Server.Port, first.Name, "postgres"), (settings.Host, settings.Port, settings.Database, settings.Username));
        Assert.Equal(first.Name, first.Scalar<string>("SELECT current_database()"));
        Assert.Equal(second.Name, second.Scalar<string>("SELECT current_database()"));
        Assert.Equal(0, first.Scalar<long>(UserTables));
        Assert.Equal(0, second.Scalar<long>(UserTables));

        Execute(first, "CREATE TABLE webhook_events (sequence bigint PRIMARY KEY); INSERT INTO webhook_events VALUES (1), (2)");

        Assert.Equal(2, first.CountEvents());
        Assert.Equal(0, second.Scalar<long>(UserTables));
    }

    [SkippableFact]
    public void Disposing_drops_the_database_even_with_connections_open()
    {
        var database = new TemporaryPostgresDatabase();
        using var open = new NpgsqlConnection(database.ConnectionString);
        open.Open();

        database.Dispose();

        Assert.Equal(0, Scalar(database.Server, "SELECT COUNT(*) FROM pg_database WHERE datname = @Name", new { database.Name }));
    }

    [SkippableFact]
    public async Task An_immediate_stop_and_a_start_keep_committed_data_on_the_same_port()
    {
        // A server of its own: stopping the shared one would break the other classes' tests running alongside.
        using var server = PostgresServer.StartNew();
        using var database = TemporaryPostgresDatabase.On(server);
        Execute(database, "CREATE TABLE webhook_events (sequence bigint PRIMARY KEY); INSERT INTO webhook_events VALUES (1), (2)");
        await using var open = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        await open.OpenAsync();
        await using (var uncommitted = await open.BeginTransactionAsync())
        {
            await open.ExecuteAsync("INSERT INTO webhook_events VALUES (3)", transaction: uncommitted);
            var port = server.Port;

            await server.StopAsync(immediate: true);

            Assert.False(server.IsRunning);
            Assert.ThrowsAny<NpgsqlException>(() => database.Scalar<long>("SELECT 1"));
            await server.StartAsync();
            Assert.True(server.IsRunning);
            Assert.Equal(port, server.Port);
        }

        Assert.Equal(2, database.CountEvents());
    }

    [SkippableFact]
    public async Task A_private_server_stops_and_removes_its_folder_when_disposed()
    {
        var server = PostgresServer.StartNew();
        Assert.NotEqual(PostgresServer.Acquire().Port, server.Port);
        Assert.True(File.Exists(Path.Combine(server.DataFolder, "PG_VERSION")));
        var connection = server.ConnectionString("postgres");

        server.Dispose();

        Assert.False(Directory.Exists(server.Folder));
        await using var refused = new NpgsqlConnection(connection + ";Pooling=false;Timeout=2");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
        Assert.Throws<InvalidOperationException>(() => PostgresServer.Acquire().Dispose());
    }

    private const string UserTables = "SELECT COUNT(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')";

    private static void Execute(TemporaryPostgresDatabase database, string sql)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        connection.Execute(sql);
    }

    private static long Scalar(PostgresServer server, string sql, object parameters)
    {
        using var connection = new NpgsqlConnection(server.ConnectionString("postgres") + ";Pooling=false");
        return connection.ExecuteScalar<long>(sql, parameters);
    }
}
