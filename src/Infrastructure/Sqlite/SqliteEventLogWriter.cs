using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// The SQLite group commit: the writer's own connection, with its three statements kept prepared, one
/// <c>BEGIN IMMEDIATE</c> transaction per batch. SQLite has one writer at a time, so sequence order is commit
/// order by construction. Plain ADO.NET rather than Dapper on purpose: Dapper builds a new command per call,
/// so SQLite parsed and planned the upsert again for every event, which cost more than running it.
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

    // An older event never overwrites newer state: the state columns change only for an event at least as recent.
    // create_time is the latest create's, whenever it arrives, so the row is the fold of the events by event time in
    // any arrival order (an older create arriving after a newer destroy still records when the account was created).
    private const string UpsertAccount = """
        INSERT INTO official_accounts (
            sdk_app_id, official_account, state, owner_account, name,
            create_time, destroy_time, last_event_time, last_event_sequence)
        VALUES (
            @SdkAppId, @OfficialAccount, @State, @OwnerAccount, @Name,
            @CreateTime, @DestroyTime, @EventTime, @Sequence)
        ON CONFLICT (sdk_app_id, official_account) DO UPDATE SET
            state = CASE WHEN excluded.last_event_time >= official_accounts.last_event_time
                THEN excluded.state ELSE official_accounts.state END,
            owner_account = CASE WHEN excluded.last_event_time >= official_accounts.last_event_time
                THEN COALESCE(excluded.owner_account, official_accounts.owner_account) ELSE official_accounts.owner_account END,
            name = CASE WHEN excluded.last_event_time >= official_accounts.last_event_time
                THEN COALESCE(excluded.name, official_accounts.name) ELSE official_accounts.name END,
            create_time = CASE WHEN official_accounts.create_time >= excluded.create_time
                THEN official_accounts.create_time ELSE COALESCE(excluded.create_time, official_accounts.create_time) END,
            destroy_time = CASE WHEN excluded.last_event_time >= official_accounts.last_event_time
                THEN excluded.destroy_time ELSE official_accounts.destroy_time END,
            last_event_time = CASE WHEN excluded.last_event_time >= official_accounts.last_event_time
                THEN excluded.last_event_time ELSE official_accounts.last_event_time END,
            last_event_sequence = CASE WHEN excluded.last_event_time >= official_accounts.last_event_time
                THEN excluded.last_event_sequence ELSE official_accounts.last_event_sequence END
        WHERE excluded.last_event_time >= official_accounts.last_event_time
            OR excluded.create_time > COALESCE(official_accounts.create_time, -1)
        """;

    private readonly SqliteConnection _connection;
    private readonly string _databasePath;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _selectSequence;
    private readonly SqliteCommand _upsertAccount;

    private SqliteEventLogWriter(SqliteConnection connection, string databasePath)
    {
        _connection = connection;
        _databasePath = databasePath;
        _insertEvent = Command(connection, InsertEvent);
        _selectSequence = Command(connection, SelectSequenceByDeliveryKey);
        _upsertAccount = Command(connection, UpsertAccount);
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

    private AppendResult Append(WebhookEvent e, OfficialAccountChange? change, SqliteTransaction transaction)
    {
        Set(_insertEvent, "@SdkAppId", e.SdkAppId);
        Set(_insertEvent, "@CallbackCommand", e.CallbackCommand);
        Set(_insertEvent, "@OfficialAccount", e.OfficialAccount);
        Set(_insertEvent, "@OwnerAccount", e.OwnerAccount);
        Set(_insertEvent, "@OperatorAccount", e.OperatorAccount);
        Set(_insertEvent, "@Name", e.Name);
        Set(_insertEvent, "@EventTime", e.EventTime?.ToUnixTimeMilliseconds());
        Set(_insertEvent, "@ReceiveTime", e.ReceiveTime.ToUnixTimeMilliseconds());
        Set(_insertEvent, "@ClientIp", e.ClientIp);
        Set(_insertEvent, "@OptPlatform", e.OptPlatform is null ? null : OptPlatforms.Name(e.Platform));
        Set(_insertEvent, "@OptPlatformRaw", e.OptPlatform);
        Set(_insertEvent, "@PayloadJson", e.PayloadJson);
        Set(_insertEvent, "@DeliveryKey", e.DeliveryKey);
        _insertEvent.Transaction = transaction;

        if (_insertEvent.ExecuteScalar() is not long sequence)
        {
            // Same delivery already stored, in an earlier batch or earlier in this one.
            Set(_selectSequence, "@DeliveryKey", e.DeliveryKey);
            _selectSequence.Transaction = transaction;
            return new AppendResult((long)_selectSequence.ExecuteScalar()!, Duplicate: true);
        }

        if (change is not null)
        {
            var at = change.EventTime.ToUnixTimeMilliseconds();
            Set(_upsertAccount, "@SdkAppId", change.SdkAppId);
            Set(_upsertAccount, "@OfficialAccount", change.OfficialAccountId);
            Set(_upsertAccount, "@State", (int)change.State);
            Set(_upsertAccount, "@OwnerAccount", change.OwnerAccount);
            Set(_upsertAccount, "@Name", change.Name);
            Set(_upsertAccount, "@CreateTime", change.State == OfficialAccountState.Active ? at : null);
            Set(_upsertAccount, "@DestroyTime", change.State == OfficialAccountState.Destroyed ? at : null);
            Set(_upsertAccount, "@EventTime", at);
            Set(_upsertAccount, "@Sequence", sequence);
            _upsertAccount.Transaction = transaction;
            _upsertAccount.ExecuteNonQuery();
        }

        return new AppendResult(sequence, Duplicate: false);
    }

    public void Dispose()
    {
        _insertEvent.Dispose();
        _selectSequence.Dispose();
        _upsertAccount.Dispose();
        _connection.Dispose();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>The first call adds the parameter; later ones only change its value, keeping the statement prepared.</summary>
    private static void Set(SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
    }
}

internal sealed class SqliteEventLogWriterFactory(SqliteConnectionFactory connections, IOptions<StorageOptions> options) : IEventLogWriterFactory
{
    public IEventLogWriter Open() =>
        SqliteEventLogWriter.Open(connections.OpenExisting(), connections.DatabasePath, options.Value.Synchronous);
}
