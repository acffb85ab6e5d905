using System.Data;
using System.Data.Common;
using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.ObjectPool;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// One query kept prepared on a few open read connections. For a point read SQLite spent more time parsing
/// and planning the statement than running it, and a pooled connection gives a fresh, unprepared command on
/// every call. Rows are still mapped by Dapper. A connection that fails is dropped, not reused.
/// </summary>
internal sealed class PreparedRead<TRow> : IPointRead<TRow>
{
    private static readonly int MaximumRetained = Environment.ProcessorCount * 4;

    private readonly ObjectPool<Statement> _statements;

    public PreparedRead(SqliteConnectionFactory connections, string sql, string parameterName) =>
        // For a disposable type the provider's pool disposes what it does not keep, and everything it keeps on Dispose.
        _statements = new DefaultObjectPoolProvider { MaximumRetained = MaximumRetained }
            .Create(new StatementPolicy(connections, sql, parameterName));

    /// <summary>Runs synchronously: SQLite has no asynchronous I/O, and a read of a page it holds takes microseconds.</summary>
    public ValueTask<TRow?> ReadAsync(long key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var statement = _statements.Get();
        try
        {
            var row = statement.QueryFirstOrDefault(key);
            _statements.Return(statement);
            return ValueTask.FromResult(row);
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    public void Dispose() => (_statements as IDisposable)?.Dispose();

    private sealed class StatementPolicy(SqliteConnectionFactory connections, string sql, string parameterName)
        : PooledObjectPolicy<Statement>
    {
        public override Statement Create() => new(connections.OpenReadConnection(), sql, parameterName);

        public override bool Return(Statement statement) => true;
    }

    private sealed class Statement : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _parameter;
        private Func<DbDataReader, TRow>? _parse;

        public Statement(SqliteConnection connection, string sql, string parameterName)
        {
            _connection = connection;
            _command = connection.CreateCommand();
            _command.CommandText = sql;
            _parameter = _command.CreateParameter();
            _parameter.ParameterName = parameterName;
            _command.Parameters.Add(_parameter);
        }

        public TRow? QueryFirstOrDefault(long value)
        {
            _parameter.Value = value;
            using var reader = _command.ExecuteReader(CommandBehavior.SingleRow);
            if (!reader.Read())
            {
                return default;
            }

            // The statement never changes, so neither do its columns: Dapper builds the row mapper once.
            _parse ??= reader.GetRowParser<TRow>();
            return _parse(reader);
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
