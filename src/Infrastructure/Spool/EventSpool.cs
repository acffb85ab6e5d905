using System.Globalization;
using System.Text;
using CleanChat.Domain.Events;
using CleanChat.Infrastructure.Events;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Spool;

/// <summary>
/// One webhook node's spool: a SQLite file on its own disk that holds callbacks answered OK while PostgreSQL could not
/// take them, in arrival order, until <see cref="SpoolDrainer"/> has committed them there.
/// <para>
/// Every append is one transaction with <c>synchronous=FULL</c>, durable when it returns. The file is opened in
/// SQLite's exclusive locking mode and written to at once, so a second process given the same file cannot open it.
/// One connection serves the group-commit thread and the drainer, one call at a time.
/// </para>
/// </summary>
internal sealed class EventSpool : IDisposable
{
    private const int FormatVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS spooled_events (
            id INTEGER PRIMARY KEY,
            sdk_app_id TEXT NOT NULL,
            callback_command TEXT NOT NULL,
            official_account TEXT,
            owner_account TEXT,
            operator_account TEXT,
            name TEXT,
            event_time INTEGER,
            receive_time INTEGER NOT NULL,
            client_ip TEXT,
            opt_platform TEXT,
            payload_json TEXT NOT NULL,
            delivery_key TEXT NOT NULL,
            bytes INTEGER NOT NULL);
        -- Events PostgreSQL refused for what they hold, kept for an operator: they were answered OK.
        CREATE TABLE IF NOT EXISTS refused_events (
            id INTEGER PRIMARY KEY,
            refused_at INTEGER NOT NULL,
            reason TEXT NOT NULL,
            event_json TEXT NOT NULL);
        """;

    private const string Insert = """
        INSERT INTO spooled_events (
            sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
            event_time, receive_time, client_ip, opt_platform, payload_json, delivery_key, bytes)
        VALUES ($app, $command, $account, $owner, $operator, $name, $eventTime, $receiveTime, $clientIp, $platform, $payload, $key, $bytes)
        """;

    private const string SelectOldest = """
        SELECT id AS Sequence, sdk_app_id AS SdkAppId, callback_command AS CallbackCommand, official_account AS OfficialAccount,
               owner_account AS OwnerAccount, operator_account AS OperatorAccount, name AS Name, event_time AS EventTime,
               receive_time AS ReceiveTime, client_ip AS ClientIp, opt_platform AS OptPlatform, payload_json AS PayloadJson,
               delivery_key AS DeliveryKey
        FROM spooled_events ORDER BY id LIMIT @Limit
        """;

    private const string SelectTotals = "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM spooled_events";
    private const string SelectOldestTime = "SELECT receive_time FROM spooled_events ORDER BY id LIMIT 1";
    private const string TotalsThrough = "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM spooled_events WHERE id <= @Through";
    private const string TotalsOf = "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM spooled_events WHERE id = @Id";
    private const string DeleteThrough = "DELETE FROM spooled_events WHERE id <= @Through";
    private const string SetAsideOne = """
        INSERT INTO refused_events (refused_at, reason, event_json)
        SELECT @Now, @Reason, json_object(
            'sdk_app_id', sdk_app_id, 'callback_command', callback_command, 'official_account', official_account,
            'receive_time', receive_time, 'event_time', event_time, 'delivery_key', delivery_key, 'raw_body', payload_json)
        FROM spooled_events WHERE id = @Id;
        DELETE FROM spooled_events WHERE id = @Id;
        """;

    // Each row's share of the file beyond its text: the integers and SQLite's record and page overhead, roughly.
    private const int RowOverheadBytes = 64;

    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly long _maxBytes;
    private long _depth;
    private long _bytes;
    private long? _oldestReceiveMs;
    private string? _lastWriteFault;

    private EventSpool(string path, SqliteConnection connection, long maxBytes)
    {
        FilePath = path;
        _connection = connection;
        _maxBytes = maxBytes;
        (_depth, _bytes) = connection.QuerySingle<(long, long)>(SelectTotals);
        _oldestReceiveMs = connection.ExecuteScalar<long?>(SelectOldestTime);
        _insert = connection.CreateCommand();
        _insert.CommandText = Insert;
        foreach (var name in new[] { "$app", "$command", "$account", "$owner", "$operator", "$name", "$eventTime", "$receiveTime", "$clientIp", "$platform", "$payload", "$key", "$bytes" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
    }

    /// <summary>The spool's file, as a full path.</summary>
    public string FilePath { get; }

    /// <summary>Events held now.</summary>
    public long Depth => Volatile.Read(ref _depth);

    /// <summary>What the held events take, as counted against <c>Storage:Spool:MaxBytes</c>.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public long MaxBytes => _maxBytes;

    /// <summary>When the oldest held event was received; null while the spool is empty.</summary>
    public DateTimeOffset? OldestReceiveTime
    {
        get
        {
            lock (_gate)
            {
                return _oldestReceiveMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            }
        }
    }

    /// <summary>Why the last append failed (disk full, read-only...), or null if it succeeded.</summary>
    public string? LastWriteFault => Volatile.Read(ref _lastWriteFault);

    /// <summary>
    /// Opens (or creates) the spool at <paramref name="path"/>. A file that cannot be opened, is damaged, is not a spool
    /// or is held by another process stops the node: the exception names the file and what to do. Nothing is deleted.
    /// </summary>
    public static EventSpool Open(string path, long maxBytes)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        SqliteConnection? connection = null;
        try
        {
            if (System.IO.Path.GetDirectoryName(fullPath) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 1,
            }.ConnectionString);
            connection.Open();
            // Exclusive before WAL: the file stays locked by this connection, and WAL needs no shared memory.
            connection.Execute("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE;");
            if (connection.ExecuteScalar<string>("PRAGMA quick_check") is not "ok" and var problem)
            {
                throw new SpoolUnusableException(Damaged(fullPath, $"SQLite's check found: {problem}"));
            }

            var version = connection.ExecuteScalar<long>("PRAGMA user_version");
            var tables = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'");
            if (version > FormatVersion)
            {
                throw new SpoolUnusableException(
                    $"The spool file '{fullPath}' (Storage:Spool:Path) was written by a newer CleanChat (format {version}): run that version to drain it, or move it aside.");
            }

            if (version == 0 && tables > 0)
            {
                throw new SpoolUnusableException(
                    $"The file '{fullPath}' (Storage:Spool:Path) is an SQLite database but not a CleanChat spool: point Storage:Spool:Path at another file.");
            }

            // A fresh file: incremental auto-vacuum must be set before the first table, so an empty spool can give its pages back.
            connection.Execute("PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            // Writing now takes the exclusive lock at once and keeps it for as long as the node runs.
            connection.Execute(Schema + $"PRAGMA user_version = {FormatVersion.ToString(CultureInfo.InvariantCulture)};");
            return new EventSpool(fullPath, connection, maxBytes);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            connection?.Dispose();
            throw new SpoolUnusableException(
                $"The spool file '{fullPath}' (Storage:Spool:Path) is in use by another process: give each webhook node a spool file of its own.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            connection?.Dispose();
            throw new SpoolUnusableException(Damaged(fullPath, e.Message), e);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw new SpoolUnusableException(
                $"The spool file '{fullPath}' (Storage:Spool:Path) cannot be opened for writing: {e.Message}. Make its folder writable by this process or point Storage:Spool:Path elsewhere.", e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    private static string Damaged(string path, string problem) =>
        $"The spool file '{path}' (Storage:Spool:Path) is damaged ({problem}). It may hold callbacks that were answered OK and are not " +
        "yet in PostgreSQL: move it aside (do not delete it), start the node on a new file, and recover what the old one holds with the sqlite3 shell.";

    /// <summary>
    /// Adds <paramref name="batch"/> in one transaction, durable when this returns. Throws <see cref="SpoolFullException"/>
    /// when it would pass <c>MaxBytes</c> (nothing is added), and SQLite's exception when the file cannot be written.
    /// </summary>
    public void Append(IReadOnlyList<PendingAppend> batch)
    {
        var sizes = new long[batch.Count];
        var total = 0L;
        for (var i = 0; i < batch.Count; i++)
        {
            sizes[i] = SizeOf(batch[i].Event);
            total += sizes[i];
        }

        lock (_gate)
        {
            if (_bytes + total > _maxBytes)
            {
                throw new SpoolFullException(FilePath, _bytes, _maxBytes);
            }

            try
            {
                using (var transaction = _connection.BeginTransaction())
                {
                    _insert.Transaction = transaction;
                    for (var i = 0; i < batch.Count; i++)
                    {
                        Bind(batch[i].Event, sizes[i]);
                        _insert.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }

                _oldestReceiveMs ??= batch[0].Event.ReceiveTime.ToUnixTimeMilliseconds();
                Volatile.Write(ref _depth, _depth + batch.Count);
                Volatile.Write(ref _bytes, _bytes + total);
                Volatile.Write(ref _lastWriteFault, null);
            }
            catch (SqliteException e)
            {
                Volatile.Write(ref _lastWriteFault, e.Message);
                throw;
            }
        }
    }

    /// <summary>The oldest held events, in arrival order, each with its spool id in <see cref="WebhookEvent.Sequence"/>.</summary>
    public IReadOnlyList<WebhookEvent> ReadOldest(int limit)
    {
        lock (_gate)
        {
            return _connection.Query<WebhookEventRow>(SelectOldest, new { Limit = limit }).Select(r => r.ToDomain()).ToList();
        }
    }

    /// <summary>Removes every held event up to spool id <paramref name="through"/>, once they are committed elsewhere.</summary>
    public void RemoveThrough(long through)
    {
        lock (_gate)
        {
            // Only the removed rows are counted (a range of the key), not the whole spool after every drain batch.
            var removed = _connection.QuerySingle<(long Count, long Bytes)>(TotalsThrough, new { Through = through });
            _connection.Execute(DeleteThrough, new { Through = through });
            Forget(removed);
            if (_depth == 0)
            {
                // Give the drained pages back to the disk, and empty the WAL: an idle node keeps a small file.
                _connection.Execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);");
            }
        }
    }

    /// <summary>Moves one held event to <c>refused_events</c>, with the database's reason, so the drain can go on.</summary>
    public void SetAside(long id, string reason, DateTimeOffset now)
    {
        lock (_gate)
        {
            var removed = _connection.QuerySingle<(long Count, long Bytes)>(TotalsOf, new { Id = id });
            _connection.Execute(SetAsideOne, new { Id = id, Reason = reason, Now = now.ToUnixTimeMilliseconds() });
            Forget(removed);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _insert.Dispose();
            _connection.Dispose();
        }
    }

    private void Forget((long Count, long Bytes) removed)
    {
        _oldestReceiveMs = _connection.ExecuteScalar<long?>(SelectOldestTime);
        Volatile.Write(ref _depth, _depth - removed.Count);
        Volatile.Write(ref _bytes, _bytes - removed.Bytes);
    }

    private void Bind(WebhookEvent e, long size)
    {
        var p = _insert.Parameters;
        p[0].Value = e.SdkAppId;
        p[1].Value = e.CallbackCommand;
        p[2].Value = (object?)e.OfficialAccount ?? DBNull.Value;
        p[3].Value = (object?)e.OwnerAccount ?? DBNull.Value;
        p[4].Value = (object?)e.OperatorAccount ?? DBNull.Value;
        p[5].Value = (object?)e.Name ?? DBNull.Value;
        p[6].Value = (object?)e.EventTime?.ToUnixTimeMilliseconds() ?? DBNull.Value;
        p[7].Value = e.ReceiveTime.ToUnixTimeMilliseconds();
        p[8].Value = (object?)e.ClientIp ?? DBNull.Value;
        p[9].Value = (object?)e.OptPlatform ?? DBNull.Value;
        p[10].Value = e.PayloadJson;
        p[11].Value = e.DeliveryKey;
        p[12].Value = size;
    }

    private static long SizeOf(WebhookEvent e) =>
        RowOverheadBytes + Utf8(e.SdkAppId) + Utf8(e.CallbackCommand) + Utf8(e.OfficialAccount) + Utf8(e.OwnerAccount)
        + Utf8(e.OperatorAccount) + Utf8(e.Name) + Utf8(e.ClientIp) + Utf8(e.OptPlatform) + Utf8(e.PayloadJson) + Utf8(e.DeliveryKey);

    private static int Utf8(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);
}
