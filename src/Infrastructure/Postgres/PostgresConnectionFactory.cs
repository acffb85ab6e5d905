using System.Data.Common;
using System.Globalization;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>
/// The connections a node opens to PostgreSQL, from <c>ConnectionStrings:CleanChat</c>: a pool for reads, and
/// the writer's and the feed listener's own sessions, which carry the storage settings as session settings.
/// </summary>
public sealed class PostgresConnectionFactory : ISqlConnectionFactory, IDisposable
{
    private readonly NpgsqlDataSource _reads;
    private readonly NpgsqlDataSource _writes;
    private readonly NpgsqlDataSource _listens;

    public PostgresConnectionFactory(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        var builder = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
        // "cleanchat" unless the connection string names the node (Application Name=...), so that each node's
        // sessions can be told apart in pg_stat_activity and pg_locks when several share a database.
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "cleanchat";
        }

        Describe = string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL database '{builder.Database ?? builder.Username ?? "postgres"}' on {builder.Host}:{builder.Port}");
        // Reads repeat a handful of statements (a point read, a few list shapes): prepared on each pooled connection
        // after their second use, so the server parses and plans them once per connection, not per call.
        _reads = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        }.ConnectionString);

        var writer = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            // The writer's few statements run thousands of times: prepared once per connection, not parsed per batch.
            MaxAutoPrepare = 16,
            AutoPrepareMinUsages = 2,
            Options = string.Create(CultureInfo.InvariantCulture,
                $"-c synchronous_commit={(storage.Synchronous == SynchronousMode.Full ? "on" : "off")} -c lock_timeout={storage.BusyTimeoutMs}"),
        };
        _writes = NpgsqlDataSource.Create(writer.ConnectionString);

        // LISTEN holds its session for as long as the feed runs: never from or back to the pool.
        var listener = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, KeepAlive = 5 };
        _listens = NpgsqlDataSource.Create(listener.ConnectionString);
    }

    /// <summary>"PostgreSQL database 'x' on host:port", for messages that must name it.</summary>
    public string Describe { get; }

    public DbConnection OpenConnection() => OpenReadConnection();

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _reads.OpenConnectionAsync(cancellationToken);

    public IPointRead<TRow> CreatePointRead<TRow>(string select, string keyColumn, Func<TRow, long> keyOf) =>
        new PostgresPointRead<TRow>(_reads, select, keyColumn, keyOf);

    public NpgsqlConnection OpenReadConnection() => _reads.OpenConnection();

    public NpgsqlConnection OpenWriteConnection() => _writes.OpenConnection();

    public NpgsqlConnection OpenListenConnection() => _listens.OpenConnection();

    public void Dispose()
    {
        _reads.Dispose();
        _writes.Dispose();
        _listens.Dispose();
    }
}
