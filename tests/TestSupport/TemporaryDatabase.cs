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

    public string Folder { get; }
    public string FilePath { get; }
    public string ConnectionString => $"Data Source={FilePath}";

    public IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:CleanChat"] = ConnectionString,
    };

    /// <summary>Reads one value straight from the file, outside the code under test.</summary>
    public T Scalar<T>(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(ConnectionString + ";Pooling=False");
        return connection.ExecuteScalar<T>(sql, parameters)!;
    }

    public long CountEvents() => Scalar<long>("SELECT COUNT(*) FROM webhook_events");

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
}
