using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

using CleanChat.Infrastructure.Persistence;

namespace CleanChat.Infrastructure.Sqlite;

public sealed class SqliteConnectionFactory : ISqlConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _existingFileConnectionString;
    private readonly string _busyTimeoutPragma;

    public SqliteConnectionFactory(IOptions<StorageOptions> options)
    {
        var builder = new SqliteConnectionStringBuilder(options.Value.ConnectionString)
        {
            // Microsoft.Data.Sqlite retries a busy database in whole seconds on top of SQLite's own wait;
            // one second is its shortest, and busy_timeout below sets the real bound in milliseconds.
            DefaultTimeout = 1,
        };
        _connectionString = builder.ConnectionString;
        DatabasePath = Path.GetFullPath(builder.DataSource);

        // For the writer and the probes: never pooled, so a fault the file had (read-only, moved away) is
        // not kept alive in a pooled handle; and never creating the file, so a vanished database is an error
        // rather than a fresh empty one.
        builder.Pooling = false;
        builder.Mode = SqliteOpenMode.ReadWrite;
        _existingFileConnectionString = builder.ConnectionString;
        _busyTimeoutPragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {options.Value.BusyTimeoutMs};");
    }

    /// <summary>The database file, resolved to a full path, for messages that must name it.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// A pooled connection for a read. No busy timeout is set on it: in WAL mode a reader never waits for the
    /// writer, and skipping the pragma saves a statement on every gRPC call.
    /// </summary>
    public DbConnection OpenConnection() => OpenReadConnection();

    /// <inheritdoc cref="OpenConnection"/>
    public SqliteConnection OpenReadConnection() => Open(_connectionString, waitForLocks: false);

    // Opening a SQLite file never waits on a pool or a network.
    public ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => ValueTask.FromResult(OpenConnection());

    public IPointRead<TRow> CreatePointRead<TRow>(string select, string keyColumn, Func<TRow, long> keyOf) =>
        new PreparedRead<TRow>(this, $"{select} WHERE {keyColumn} = @Key", "@Key");

    /// <summary>A pooled connection that creates the file if it is missing, and waits up to the busy timeout for locks.</summary>
    public SqliteConnection Open() => Open(_connectionString, waitForLocks: true);

    /// <summary>An unpooled connection to the file as it is now; fails if the file is gone.</summary>
    public SqliteConnection OpenExisting() => Open(_existingFileConnectionString, waitForLocks: true);

    private SqliteConnection Open(string connectionString, bool waitForLocks)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            if (waitForLocks)
            {
                connection.Execute(_busyTimeoutPragma);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
