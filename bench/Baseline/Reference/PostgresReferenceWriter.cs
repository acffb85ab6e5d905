using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace CleanChat.Baseline.Reference;

/// <summary>
/// The PostgreSQL writing, as CleanChat's writer does it and no more: one session with <c>synchronous_commit</c> as
/// CleanChat sets it, and per batch one <see cref="NpgsqlBatch"/> (the commit lock, one statement per event, NOTIFY),
/// which PostgreSQL runs as one implicit transaction, committed before the round trip returns.
/// </summary>
internal sealed class PostgresReferenceWriter(NpgsqlConnection connection) : IReferenceWriter
{
    /// <summary>Opens the session and gives the database CleanChat's schema.</summary>
    public static PostgresReferenceWriter Open(string connectionString, ReferenceSynchronous synchronous)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // CleanChat's writer session: its statements prepared on their second use, and its commit setting.
            MaxAutoPrepare = 16,
            AutoPrepareMinUsages = 2,
            Options = string.Create(CultureInfo.InvariantCulture,
                $"-c synchronous_commit={(synchronous == ReferenceSynchronous.Full ? "on" : "off")}"),
        };
        var session = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            session.Open();
            using (var transaction = session.BeginTransaction())
            {
                foreach (var script in MigrationScripts.For("postgres"))
                {
                    using var command = new NpgsqlCommand(script, session, transaction);
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            return new PostgresReferenceWriter(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Commit(IReadOnlyList<PendingEvent> batch)
    {
        using var commands = new NpgsqlBatch(connection);
        commands.BatchCommands.Add(new NpgsqlBatchCommand(CleanChatSql.PostgresTakeCommitLock));
        foreach (var pending in batch)
        {
            commands.BatchCommands.Add(Insert(pending.Event));
        }

        commands.BatchCommands.Add(new NpgsqlBatchCommand(CleanChatSql.PostgresNotify));
        commands.ExecuteNonQuery();
    }

    public void Dispose() => connection.Dispose();

    private static NpgsqlBatchCommand Insert(DestroyedEvent e)
    {
        var command = new NpgsqlBatchCommand(CleanChatSql.PostgresInsertEventAndAccount);
        var p = command.Parameters;
        p.Add(Text(e.SdkAppId));                // $1: the event
        p.Add(Text(e.CallbackCommand));
        p.Add(Text(e.OfficialAccount));
        p.Add(Text(e.OwnerAccount));
        p.Add(Text(null));                      // $5: no operator
        p.Add(Text(e.Name));
        p.Add(Bigint(e.EventTime));
        p.Add(Bigint(e.ReceiveTime));
        p.Add(Text(e.ClientIp));
        p.Add(Text(e.OptPlatform));             // $10
        p.Add(Text(e.OptPlatform));
        p.Add(Text(e.PayloadJson));
        p.Add(Text(e.DeliveryKey));             // $13
        p.Add(Text(e.SdkAppId));                // $14: the account's row
        p.Add(Text(e.OfficialAccount));
        p.Add(Bigint(DestroyedEvent.Destroyed));
        p.Add(Bigint(e.EventTime));             // state time
        p.Add(Bigint(null));                    // create time
        p.Add(Bigint(e.EventTime));             // destroy time
        p.Add(Text(e.OwnerAccount));            // $20
        p.Add(Bigint(e.OwnerAccount is null ? null : e.EventTime));
        p.Add(Text(e.Name));
        p.Add(Bigint(e.Name is null ? null : e.EventTime));
        p.Add(Text(null));                      // introduction, face URL, organization and their times: not carried
        p.Add(Bigint(null));
        p.Add(Text(null));
        p.Add(Bigint(null));
        p.Add(Text(null));
        p.Add(Bigint(null));
        p.Add(Bigint(null));                    // $30: full time
        p.Add(Bigint(null));                    // last message time
        p.Add(Bigint(e.EventTime));             // $32: the event time
        return command;
    }

    private static NpgsqlParameter Text(string? value) => value is null
        ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = DBNull.Value }
        : new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = value };

    private static NpgsqlParameter Bigint(long? value) => value is null
        ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = DBNull.Value }
        : new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value.Value };
}
