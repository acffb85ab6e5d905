using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanChat.TestSupport;

/// <summary>A real SQLite file in its own temporary folder, removed afterwards.</summary>
public sealed class TemporaryDatabase : ITestDatabase
{
    public TemporaryDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cleanchat-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, "cleanchat.db");
    }

    public string Engine => "Sqlite";
    public string Folder { get; }
    public string FilePath { get; }
    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>Reads one value straight from the file, outside the code under test.</summary>
    public T Scalar<T>(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public IReadOnlyList<T> Rows<T>(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        return connection.Query<T>(sql, parameters).ToList();
    }

    public long CountEvents() => Scalar<long>("SELECT COUNT(*) FROM webhook_events");

    /// <summary>
    /// SQLite's one write lock (BEGIN IMMEDIATE), taken on a connection of its own as another process's writer would
    /// hold it, waiting for a commit in progress to end; disposing rolls back, which releases it. Readers go on (WAL).
    /// </summary>
    public IDisposable HoldWriteLock()
    {
        var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        try
        {
            connection.Open();
            return new Held(connection, connection.BeginTransaction(deferred: false));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A host still shutting down may hold the file a moment longer; the temp folder is disposable.
        }
    }

    private sealed class Held(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        public void Dispose()
        {
            transaction.Dispose();
            connection.Dispose();
        }
    }
}
