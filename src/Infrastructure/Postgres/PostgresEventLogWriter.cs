using System.Data;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Postgres.State;
using Npgsql;
using static CleanChat.Infrastructure.Postgres.State.PostgresParameters;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>
/// The PostgreSQL group commit: one batch of statements in one round trip, which PostgreSQL runs as one
/// implicit transaction, committed (and flushed, with <c>synchronous_commit = on</c>) before the answer comes.
/// <para>
/// Sequence order is commit order across nodes: the batch first takes one transaction-scoped advisory lock,
/// so the identity values of two nodes' commits cannot interleave; the lock is released only after the commit
/// is visible, so a reader that has seen sequence N never finds a lower one appear later. It costs one commit
/// at a time on the whole cluster (the same as SQLite's single writer); a batch still carries many events.
/// </para>
/// Each event is one statement: insert unless the delivery key is known, then apply its state change from the
/// inserted row only, so a duplicate changes nothing (<see cref="PostgresStateWriter"/>). Finally NOTIFY wakes every
/// gRPC node's feed at commit.
/// </summary>
internal sealed class PostgresEventLogWriter : IEventLogWriter
{
    /// <summary>The advisory lock that orders commits: any constant, the same on every node ("CCevlog").</summary>
    internal const long CommitLockKey = 0x43_43_65_76_6C_6F_67; // 18932926497189735

    /// <summary>The channel new commits are announced on.</summary>
    internal const string Channel = "cleanchat_events";

    private const string TakeCommitLock = "SELECT pg_advisory_xact_lock(18932926497189735)"; // CommitLockKey
    private const string Notify = $"NOTIFY {Channel}";

    // Inserts unless the delivery key is already stored; the state parts of the statement read this CTE.
    internal const string InsertUnlessStored = """
        WITH inserted AS (
            INSERT INTO webhook_events (
                sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
                event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (delivery_key) DO NOTHING
            RETURNING sequence)
        """;

    // The event's sequence and whether it was stored before. A duplicate from an earlier statement of the same
    // batch, or from another node's commit, is visible here: each statement reads after the commit lock was taken.
    internal const string SelectSequence = """
        SELECT sequence, FALSE FROM inserted
        UNION ALL
        SELECT sequence, TRUE FROM webhook_events WHERE delivery_key = $13 AND NOT EXISTS (SELECT FROM inserted)
        """;

    private const string InsertEvent = InsertUnlessStored + SelectSequence;

    private readonly Func<NpgsqlConnection> _open;
    private readonly bool _orderCommits;
    private NpgsqlConnection _connection;
    private bool _used;

    internal PostgresEventLogWriter(Func<NpgsqlConnection> open, bool orderCommits)
    {
        _open = open;
        _orderCommits = orderCommits;
        _connection = open();
    }

    public void Commit(IReadOnlyList<PendingAppend> batch, AppendResult[] results)
    {
        var kept = _used;
        _used = true;
        try
        {
            CommitOnce(batch, results);
        }
        catch (NpgsqlException) when (kept && IsBroken(_connection))
        {
            // The connection kept since the last batch was cut meanwhile (the server restarted, a proxy dropped it
            // while idle): go again once on a fresh one rather than fail a batch that never reached the server. If it
            // did reach it and commit, the delivery keys make this a duplicate that answers with the first sequences.
            _connection.Dispose();
            _connection = _open();
            CommitOnce(batch, results);
        }
    }

    private static bool IsBroken(NpgsqlConnection connection) =>
        connection.State != ConnectionState.Open || connection.FullState.HasFlag(ConnectionState.Broken);

    private void CommitOnce(IReadOnlyList<PendingAppend> batch, AppendResult[] results)
    {
        using var commands = new NpgsqlBatch(_connection);
        if (_orderCommits)
        {
            commands.BatchCommands.Add(new NpgsqlBatchCommand(TakeCommitLock));
        }

        foreach (var pending in batch)
        {
            commands.BatchCommands.Add(Append(pending.Event, pending.Change));
        }

        commands.BatchCommands.Add(new NpgsqlBatchCommand(Notify));

        // Results come back one statement at a time, in order, and an error surfaces when the reader moves on to
        // the statement that raised it: `current` is the event whose statement the reader is moving to.
        var current = _orderCommits ? -1 : 0;
        try
        {
            using var reader = commands.ExecuteReader();
            if (_orderCommits)
            {
                current = 0;
                reader.NextResult();
            }

            for (var i = 0; i < batch.Count; i++)
            {
                reader.Read();
                results[i] = new AppendResult(reader.GetInt64(0), reader.GetBoolean(1));
                current = i + 1;
                reader.NextResult();
            }

            // Disposing the reader waits for the end of the batch: the commit.
            current = -1;
        }
        catch (PostgresException e) when (RefusesOneEvent(e) && current >= 0 && current < batch.Count)
        {
            throw new EventRefusedException(current, e);
        }
    }

    public void Replay(IReadOnlyList<(WebhookEvent Stored, StateChange Change)> changes)
    {
        // One round trip, one implicit transaction, as a group commit is. No commit lock: no sequence is taken.
        using var commands = new NpgsqlBatch(_connection);
        foreach (var (stored, change) in changes)
        {
            var command = new NpgsqlBatchCommand(PostgresStateWriter.ReplayStatementFor(change));
            BindEvent(command.Parameters, stored);
            PostgresStateWriter.Bind(command.Parameters, change);
            commands.BatchCommands.Add(command);
        }

        commands.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    // Class 22 (data exception: text the database cannot hold), 23 (integrity), 54 (a value too large for an
    // index): the database refuses that event for what it holds; a fault of the server or the link is anything else.
    private static bool RefusesOneEvent(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal)
        || e.SqlState.StartsWith("23", StringComparison.Ordinal)
        || e.SqlState.StartsWith("54", StringComparison.Ordinal);

    private static NpgsqlBatchCommand Append(WebhookEvent e, StateChange? change)
    {
        var command = new NpgsqlBatchCommand(change is null ? InsertEvent : PostgresStateWriter.StatementFor(change));
        BindEvent(command.Parameters, e);
        if (change is not null)
        {
            PostgresStateWriter.Bind(command.Parameters, change);
        }

        return command;
    }

    /// <summary>Parameters $1 to $13: the event's columns.</summary>
    private static void BindEvent(NpgsqlParameterCollection p, WebhookEvent e)
    {
        p.Add(Text(e.SdkAppId));
        p.Add(Text(e.CallbackCommand));
        p.Add(Text(e.OfficialAccount));
        p.Add(Text(e.OwnerAccount));
        p.Add(Text(e.OperatorAccount));
        p.Add(Text(e.Name));
        p.Add(Bigint(e.EventTime?.ToUnixTimeMilliseconds()));
        p.Add(Bigint(e.ReceiveTime.ToUnixTimeMilliseconds()));
        p.Add(Text(e.ClientIp));
        p.Add(Text(e.OptPlatform is null ? null : OptPlatforms.Name(e.Platform)));
        p.Add(Text(e.OptPlatform));
        p.Add(Verbatim(e.PayloadJson));
        p.Add(Text(e.DeliveryKey));
    }
}
