using Microsoft.Data.Sqlite;

namespace CleanChat.Baseline.Reference;

/// <summary>
/// The SQLite writing, as plainly as Microsoft.Data.Sqlite allows: one connection, its two statements prepared once
/// with their parameters added once (only the values change per event), one <c>BEGIN IMMEDIATE</c> transaction per
/// batch, and the pragmas CleanChat's writer sets.
/// </summary>
internal sealed class SqliteReferenceWriter : IReferenceWriter
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _upsertAccount;

    // The values that change from event to event; every other parameter is bound once, in the constructor.
    private readonly SqliteParameter _sdkAppId, _callbackCommand, _officialAccount, _ownerAccount, _name, _eventTime,
        _receiveTime, _clientIp, _optPlatform, _optPlatformRaw, _payloadJson, _deliveryKey;

    private readonly SqliteParameter _accountSdkAppId, _accountOfficialAccount, _stateTime, _destroyTime,
        _accountOwnerAccount, _ownerTime, _accountName, _nameTime, _accountEventTime, _sequence, _accountDeliveryKey;

    private SqliteReferenceWriter(SqliteConnection connection)
    {
        _connection = connection;

        _insertEvent = Prepare(CleanChatSql.SqliteInsertEvent);
        _sdkAppId = Parameter(_insertEvent, "@SdkAppId");
        _callbackCommand = Parameter(_insertEvent, "@CallbackCommand");
        _officialAccount = Parameter(_insertEvent, "@OfficialAccount");
        _ownerAccount = Parameter(_insertEvent, "@OwnerAccount");
        Parameter(_insertEvent, "@OperatorAccount"); // the destroyed callback has none
        _name = Parameter(_insertEvent, "@Name");
        _eventTime = Parameter(_insertEvent, "@EventTime");
        _receiveTime = Parameter(_insertEvent, "@ReceiveTime");
        _clientIp = Parameter(_insertEvent, "@ClientIp");
        _optPlatform = Parameter(_insertEvent, "@OptPlatform");
        _optPlatformRaw = Parameter(_insertEvent, "@OptPlatformRaw");
        _payloadJson = Parameter(_insertEvent, "@PayloadJson");
        _deliveryKey = Parameter(_insertEvent, "@DeliveryKey");

        // A destroy sets the state with its time, the destroy time, the owner and the name; the rest it leaves alone.
        _upsertAccount = Prepare(CleanChatSql.SqliteUpsertAccount);
        _accountSdkAppId = Parameter(_upsertAccount, "@SdkAppId");
        _accountOfficialAccount = Parameter(_upsertAccount, "@OfficialAccount");
        Parameter(_upsertAccount, "@State", DestroyedEvent.Destroyed);
        _stateTime = Parameter(_upsertAccount, "@StateTime");
        Parameter(_upsertAccount, "@CreateTime");
        _destroyTime = Parameter(_upsertAccount, "@DestroyTime");
        _accountOwnerAccount = Parameter(_upsertAccount, "@OwnerAccount");
        _ownerTime = Parameter(_upsertAccount, "@OwnerTime");
        _accountName = Parameter(_upsertAccount, "@Name");
        _nameTime = Parameter(_upsertAccount, "@NameTime");
        foreach (var unset in (string[])["@Introduction", "@IntroductionTime", "@FaceUrl", "@FaceUrlTime",
                     "@Organization", "@OrganizationTime", "@FullTime", "@LastMessageTime"])
        {
            Parameter(_upsertAccount, unset);
        }

        Parameter(_upsertAccount, "@SubscriberDelta", 0L);
        _accountEventTime = Parameter(_upsertAccount, "@EventTime");
        _sequence = Parameter(_upsertAccount, "@Sequence");
        _accountDeliveryKey = Parameter(_upsertAccount, "@DeliveryKey");

        _insertEvent.Prepare();
        _upsertAccount.Prepare();
    }

    /// <summary>Opens the file (creating it), gives it CleanChat's schema, and sets the writer's pragmas.</summary>
    public static SqliteReferenceWriter Open(string connectionString, ReferenceSynchronous synchronous)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // As CleanChat's migrator: WAL (stored in the file), then every script in one transaction.
            Execute(connection, "PRAGMA journal_mode = WAL;");
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                foreach (var script in MigrationScripts.For("sqlite"))
                {
                    Execute(connection, script, transaction);
                }

                transaction.Commit();
            }

            // As CleanChat's writer: its synchronous setting, and statement journals in memory rather than in a
            // temporary file per commit.
            Execute(connection, (synchronous == ReferenceSynchronous.Normal ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;")
                + " PRAGMA temp_store = MEMORY;");
            return new SqliteReferenceWriter(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Commit(IReadOnlyList<PendingEvent> batch)
    {
        // BEGIN IMMEDIATE, as CleanChat's writer; disposing an uncommitted transaction rolls it back.
        using var transaction = _connection.BeginTransaction(deferred: false);
        _insertEvent.Transaction = transaction;
        _upsertAccount.Transaction = transaction;
        foreach (var pending in batch)
        {
            Append(pending.Event);
        }

        transaction.Commit();
    }

    private void Append(DestroyedEvent e)
    {
        _sdkAppId.Value = e.SdkAppId;
        _callbackCommand.Value = e.CallbackCommand;
        _officialAccount.Value = e.OfficialAccount;
        _ownerAccount.Value = (object?)e.OwnerAccount ?? DBNull.Value;
        _name.Value = (object?)e.Name ?? DBNull.Value;
        _eventTime.Value = e.EventTime;
        _receiveTime.Value = e.ReceiveTime;
        _clientIp.Value = (object?)e.ClientIp ?? DBNull.Value;
        _optPlatform.Value = (object?)e.OptPlatform ?? DBNull.Value;
        _optPlatformRaw.Value = _optPlatform.Value;
        _payloadJson.Value = e.PayloadJson;
        _deliveryKey.Value = e.DeliveryKey;
        if (_insertEvent.ExecuteScalar() is not long sequence)
        {
            return; // a redelivery: stored once already, and its state is not applied again
        }

        _accountSdkAppId.Value = e.SdkAppId;
        _accountOfficialAccount.Value = e.OfficialAccount;
        _stateTime.Value = e.EventTime;
        _destroyTime.Value = e.EventTime;
        _accountOwnerAccount.Value = _ownerAccount.Value;
        _ownerTime.Value = e.OwnerAccount is null ? DBNull.Value : (object)e.EventTime;
        _accountName.Value = _name.Value;
        _nameTime.Value = e.Name is null ? DBNull.Value : (object)e.EventTime;
        _accountEventTime.Value = e.EventTime;
        _sequence.Value = sequence;
        _accountDeliveryKey.Value = e.DeliveryKey;
        _upsertAccount.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insertEvent.Dispose();
        _upsertAccount.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static SqliteParameter Parameter(SqliteCommand command, string name, object? value = null) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
