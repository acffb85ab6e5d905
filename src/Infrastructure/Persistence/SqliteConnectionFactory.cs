using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Persistence;

public sealed class SqliteConnectionFactory(IOptions<StorageOptions> options) : ISqlConnectionFactory
{
    private readonly string _connectionString = options.Value.ConnectionString;

    /// <summary>The database file, resolved to a full path, for messages that must name it.</summary>
    public string DatabasePath => Path.GetFullPath(new SqliteConnectionStringBuilder(_connectionString).DataSource);

    public DbConnection OpenConnection() => Open();

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
