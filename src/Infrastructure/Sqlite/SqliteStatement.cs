using CleanChat.Infrastructure.Events;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// One statement kept prepared on the writer's connection: a parameter is added the first time it is set, and only
/// its value changes after that, so SQLite parses and plans the statement once, not per event. Plain ADO.NET rather
/// than Dapper on purpose: Dapper builds a new command per call.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly SqliteCommand _command;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
    }

    public SqliteStatement Set(string name, long? value) => SetValue(name, value);

    public SqliteStatement Set(string name, bool value) => SetValue(name, value ? 1L : 0L);

    /// <summary>Typed text goes through <see cref="StoredText"/>, so both engines store the same characters.</summary>
    public SqliteStatement Text(string name, string? value) => SetValue(name, StoredText.Clean(value));

    /// <summary>Text stored exactly as received (the raw body).</summary>
    public SqliteStatement Verbatim(string name, string value) => SetValue(name, value);

    public object? Scalar(SqliteTransaction transaction)
    {
        _command.Transaction = transaction;
        return _command.ExecuteScalar();
    }

    public void Execute(SqliteTransaction transaction)
    {
        _command.Transaction = transaction;
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();

    private SqliteStatement SetValue(string name, object? value)
    {
        var parameters = _command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }

        return this;
    }
}
