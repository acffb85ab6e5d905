namespace CleanChat.TestSupport;

/// <summary>A fresh database for tests on one storage engine, readable straight through that engine's own driver.</summary>
public interface ITestDatabase : IDisposable
{
    /// <summary>"Sqlite" or "Postgres".</summary>
    string Engine { get; }

    string ConnectionString { get; }

    /// <summary>Reads one value straight from the database, outside the code under test.</summary>
    T Scalar<T>(string sql, object? parameters = null);

    /// <summary>Reads rows straight from the database, outside the code under test.</summary>
    IReadOnlyList<T> Rows<T>(string sql, object? parameters = null);

    long CountEvents();
}
