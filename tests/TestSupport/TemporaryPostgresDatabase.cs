using Dapper;
using Npgsql;
using Xunit;

namespace CleanChat.TestSupport;

/// <summary>
/// A new, empty PostgreSQL database with a unique name, on the test process's shared <see cref="PostgresServer"/>
/// unless given another; dropped afterwards. Where PostgreSQL is missing it throws <see cref="SkipException"/> (outside
/// CI), so the tests that create one are [SkippableFact] or [SkippableTheory], and create it per test, in a field
/// initialiser, the constructor or the test itself: xUnit wraps what a class fixture's constructor throws, so the
/// class's tests would fail instead of being skipped.
/// </summary>
public sealed class TemporaryPostgresDatabase : ITestDatabase
{
    /// <summary>On the shared server (<see cref="PostgresServer.Acquire"/>).</summary>
    public TemporaryPostgresDatabase()
        : this(PostgresServer.Acquire())
    {
    }

    private TemporaryPostgresDatabase(PostgresServer server, bool ownsServer = false)
    {
        Server = server;
        _ownsServer = ownsServer;
        ConnectionString = server.CreateDatabase();
        Name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
    }

    private readonly bool _ownsServer;

    /// <summary>On <paramref name="server"/>, e.g. one from <see cref="PostgresServer.StartNew"/>.</summary>
    public static TemporaryPostgresDatabase On(PostgresServer server) => new(server);

    /// <summary>
    /// On a server of its own (<see cref="PostgresServer.StartNew"/>), which a test may stop and start; disposing the
    /// database stops the server and removes its folder.
    /// </summary>
    public static TemporaryPostgresDatabase OnItsOwnServer()
    {
        var server = PostgresServer.StartNew();
        try
        {
            return new TemporaryPostgresDatabase(server, ownsServer: true);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public string Engine => "Postgres";
    public PostgresServer Server { get; }
    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>Reads one value straight from the server, outside the code under test.</summary>
    public T Scalar<T>(string sql, object? parameters = null)
    {
        // Unpooled, like TemporaryDatabase's reads: a connection from before a server restart would be broken.
        using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public IReadOnlyList<T> Rows<T>(string sql, object? parameters = null)
    {
        using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        return connection.Query<T>(sql, parameters).ToList();
    }

    public long CountEvents() => Scalar<long>("SELECT COUNT(*) FROM webhook_events");

    public void Dispose()
    {
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        if (_ownsServer)
        {
            Server.Dispose();
            return;
        }

        try
        {
            Server.DropDatabase(Name);
        }
        catch (NpgsqlException)
        {
            // The server is stopped or gone; it and its folder are removed at the process exit anyway.
        }
    }
}
