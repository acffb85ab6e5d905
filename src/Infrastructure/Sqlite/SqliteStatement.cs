using System.Buffers;
using System.Text;
using CleanChat.Infrastructure.Events;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// One statement of the writer, prepared once on its connection and run once per event, inside the group commit's
/// transaction. It sits on SQLitePCL, the layer under Microsoft.Data.Sqlite, rather than on a <see cref="SqliteCommand"/>:
/// a command binds every parameter by name on every run (the name encoded to UTF-8 and looked up in the statement,
/// a linear search) and builds a data reader for each result, about a tenth of the writer thread's time with the
/// account upsert's 22 parameters. Here a parameter's position is looked up once, the first time it is set, and a run
/// binds by position, steps and resets. Errors are still <see cref="SqliteException"/>s with SQLite's codes.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    public SqliteStatement Set(string name, long? value)
    {
        var position = Position(name);
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, position, number) : raw.sqlite3_bind_null(_statement, position));
        return this;
    }

    public SqliteStatement Set(string name, bool value) => Set(name, value ? 1L : 0L);

    /// <summary>Typed text goes through <see cref="StoredText"/>, so both engines store the same characters.</summary>
    public SqliteStatement Text(string name, string? value) => Verbatim(name, StoredText.Clean(value));

    /// <summary>Text stored exactly as received (the raw body).</summary>
    public SqliteStatement Verbatim(string name, string? value)
    {
        var position = Position(name);
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, position));
            return this;
        }

        // SQLite copies the bytes while binding (SQLITE_TRANSIENT), so the buffer goes back to the pool at once.
        // The length is explicit: the text is bound whole, whatever it holds.
        var buffer = ArrayPool<byte>.Shared.Rent(Utf8.GetMaxByteCount(value.Length));
        try
        {
            var length = Utf8.GetBytes(value, buffer);
            Check(raw.sqlite3_bind_text(_statement, position, buffer.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return this;
    }

    /// <summary>Runs the statement; the first column of its first row, or null when it returned no row or NULL.</summary>
    /// <param name="transaction">The group commit's transaction, on this statement's connection.</param>
    public long? Scalar(SqliteTransaction transaction)
    {
        EnsureOn(transaction);
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(_statement, 0);
            }

            if (rc != raw.SQLITE_DONE)
            {
                Fail(rc);
            }

            return null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement to its end.</summary>
    /// <param name="transaction">The group commit's transaction, on this statement's connection.</param>
    public void Execute(SqliteTransaction transaction)
    {
        EnsureOn(transaction);
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            if (rc != raw.SQLITE_DONE)
            {
                Fail(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private int Position(string name)
    {
        if (!_positions.TryGetValue(name, out var position))
        {
            position = raw.sqlite3_bind_parameter_index(_statement, name);
            if (position == 0)
            {
                throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
            }

            _positions.Add(name, position);
        }

        return position;
    }

    private void EnsureOn(SqliteTransaction transaction)
    {
        if (transaction.Connection != _connection)
        {
            throw new InvalidOperationException("The statement runs only inside a transaction of its own connection.");
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            Fail(rc);
        }
    }

    private void Fail(int rc) => SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
}
