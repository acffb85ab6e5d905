using System.Data;
using System.Data.Common;
using CleanChat.Infrastructure.Persistence;
using Dapper;
using Microsoft.Extensions.ObjectPool;

namespace CleanChat.Infrastructure.Events;

/// <summary>
/// One query kept prepared on a few open read connections. For a point read SQLite spent more time parsing
/// and planning the statement than running it, and a pooled connection gives a fresh, unprepared command on
/// every call. Rows are still mapped by Dapper. A connection that fails is dropped, not reused.
/// </summary>
internal sealed class PreparedRead<TRow> : IDisposable
{
    private static readonly int MaximumRetained = Environment.ProcessorCount * 4;

    private readonly ObjectPool<Statement> _statements;

    public PreparedRead(ISqlConnectionFactory connections, string sql, string parameterName) =>
        // For a disposable type the provider's pool disposes what it does not keep, and everything it keeps on Dispose.
        _statements = new DefaultObjectPoolProvider { MaximumRetained = MaximumRetained }
            .Create(new StatementPolicy(connections, sql, parameterName));

    /// <summary>The first row for <paramref name="value"/>, or null. Runs synchronously: SQLite has no asynchronous I/O.</summary>
    public TRow? QueryFirstOrDefault(long value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (var attempt = 1; ; attempt++)
        {
            var statement = _statements.Get();
            try
            {
                var row = statement.QueryFirstOrDefault(value);
                _statements.Return(statement);
                return row;
            }
            catch (DbException) when (statement.IsClosed && attempt <= MaximumRetained)
            {
                // A kept connection that the server closed meanwhile (PostgreSQL restarted) fails once: drop it and go
                // again on another, rather than answer UNAVAILABLE for a database that is back.
                statement.Dispose();
            }
            catch
            {
                statement.Dispose();
                throw;
            }
        }
    }

    public void Dispose() => (_statements as IDisposable)?.Dispose();

    private sealed class StatementPolicy(ISqlConnectionFactory connections, string sql, string parameterName)
        : PooledObjectPolicy<Statement>
    {
        public override Statement Create() => new(connections.OpenConnection(), sql, parameterName);

        public override bool Return(Statement statement) => true;
    }

    private sealed class Statement : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbParameter _parameter;
        private Func<DbDataReader, TRow>? _parse;

        public Statement(DbConnection connection, string sql, string parameterName)
        {
            _connection = connection;
            _command = connection.CreateCommand();
            _command.CommandText = sql;
            _parameter = _command.CreateParameter();
            _parameter.ParameterName = parameterName;
            _command.Parameters.Add(_parameter);
        }

        public bool IsClosed => _connection.State != ConnectionState.Open;

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
