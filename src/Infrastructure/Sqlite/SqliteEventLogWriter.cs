using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using CleanChat.Infrastructure.Sqlite.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// The SQLite group commit: the writer's own connection, with its statements kept prepared, one
/// <c>BEGIN IMMEDIATE</c> transaction per batch. SQLite has one writer at a time, so sequence order is commit
/// order by construction. Each event is inserted unless its delivery key is stored; only an event inserted now has
/// its state change applied (<see cref="SqliteStateWriter"/>), in the same transaction.
/// </summary>
internal sealed class SqliteEventLogWriter : IEventLogWriter
{
    // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH: the database refuses that event, not the batch.
    private static readonly int[] RefusalsOfOneEvent = [18, 19, 20];

    private const string InsertEvent = """
        INSERT INTO webhook_events (
            sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
            event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key)
        VALUES (
            @SdkAppId, @CallbackCommand, @OfficialAccount, @OwnerAccount, @OperatorAccount, @Name,
            @EventTime, @ReceiveTime, @ClientIp, @OptPlatform, @OptPlatformRaw, @PayloadJson, @DeliveryKey)
        ON CONFLICT (delivery_key) DO NOTHING
        RETURNING sequence
        """;

    private const string SelectSequenceByDeliveryKey =
        "SELECT sequence FROM webhook_events WHERE delivery_key = @DeliveryKey";

    private readonly SqliteConnection _connection;
    private readonly string _databasePath;
    private readonly SqliteStatement _insertEvent;
    private readonly SqliteStatement _selectSequence;
    private readonly SqliteStateWriter _state;

    private SqliteEventLogWriter(SqliteConnection connection, string databasePath)
    {
        _connection = connection;
        _databasePath = databasePath;
        _insertEvent = new SqliteStatement(connection, InsertEvent);
        _selectSequence = new SqliteStatement(connection, SelectSequenceByDeliveryKey);
        _state = new SqliteStateWriter(connection);
    }

    /// <summary>
    /// Takes over <paramref name="connection"/>, which must be outside the pool: after a fault the next batch
    /// gets a fresh SQLite handle rather than the one that failed (one opened while the file was read-only,
    /// say, would stay read-only).
    /// </summary>
    public static SqliteEventLogWriter Open(SqliteConnection connection, string databasePath, SynchronousMode synchronous)
    {
        try
        {
            using var pragma = connection.CreateCommand();
            // temp_store = MEMORY: the statement journal SQLite keeps for each upsert stays in memory instead of a
            // temporary file opened, written and unlinked on every commit (a third of the writer's syscalls).
            pragma.CommandText = (synchronous == SynchronousMode.Normal ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;")
                + " PRAGMA temp_store = MEMORY;";
            pragma.ExecuteNonQuery();
            return new SqliteEventLogWriter(connection, databasePath);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Commit(IReadOnlyList<PendingAppend> batch, AppendResult[] results)
    {
        // BEGIN IMMEDIATE: takes the write lock up front, so a busy database fails here, before any statement.
        using (var transaction = _connection.BeginTransaction(deferred: false))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    results[i] = Append(batch[i].Event, batch[i].Change, transaction);
                }
                catch (SqliteException e) when (RefusalsOfOneEvent.Contains(e.SqliteErrorCode))
                {
                    throw new EventRefusedException(i, e);
                }
            }

            transaction.Commit();
        }

        // A directory moved or deleted under us leaves the commit in a file nobody will read again:
        // answer FAIL so Tencent redelivers, rather than OK for an event that is not at the path.
        if (!File.Exists(_databasePath))
        {
            throw new FileNotFoundException("The database file is no longer at its path.", _databasePath);
        }
    }

    public void Replay(IReadOnlyList<(WebhookEvent Stored, StateChange Change)> changes)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var (stored, change) in changes)
        {
            _state.Apply(change, stored.Sequence, stored.DeliveryKey, transaction);
        }

        transaction.Commit();
    }

    private AppendResult Append(WebhookEvent e, StateChange? change, SqliteTransaction transaction)
    {
        var inserted = _insertEvent
            .Text("@SdkAppId", e.SdkAppId)
            .Text("@CallbackCommand", e.CallbackCommand)
            .Text("@OfficialAccount", e.OfficialAccount)
            .Text("@OwnerAccount", e.OwnerAccount)
            .Text("@OperatorAccount", e.OperatorAccount)
            .Text("@Name", e.Name)
            .Set("@EventTime", e.EventTime?.ToUnixTimeMilliseconds())
            .Set("@ReceiveTime", e.ReceiveTime.ToUnixTimeMilliseconds())
            .Text("@ClientIp", e.ClientIp)
            .Text("@OptPlatform", e.OptPlatform is null ? null : OptPlatforms.Name(e.Platform))
            .Text("@OptPlatformRaw", e.OptPlatform)
            .Verbatim("@PayloadJson", e.PayloadJson)
            .Text("@DeliveryKey", e.DeliveryKey)
            .Scalar(transaction);
        if (inserted is not long sequence)
        {
            // Same delivery already stored, in an earlier batch or earlier in this one: its state is not applied again.
            var first = _selectSequence.Text("@DeliveryKey", e.DeliveryKey).Scalar(transaction);
            return new AppendResult(first!.Value, Duplicate: true);
        }

        if (change is not null)
        {
            _state.Apply(change, sequence, e.DeliveryKey, transaction);
        }

        return new AppendResult(sequence, Duplicate: false);
    }

    public void Dispose()
    {
        _insertEvent.Dispose();
        _selectSequence.Dispose();
        _state.Dispose();
        _connection.Dispose();
    }
}

internal sealed class SqliteEventLogWriterFactory(SqliteConnectionFactory connections, IOptions<StorageOptions> options) : IEventLogWriterFactory
{
    public IEventLogWriter Open() =>
        SqliteEventLogWriter.Open(connections.OpenExisting(), connections.DatabasePath, options.Value.Synchronous);
}
