using System.Data.Common;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using CleanChat.Infrastructure.Postgres;
using CleanChat.Infrastructure.Sqlite;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// The retention job's statements, common to both engines but for how a run takes its session: on PostgreSQL a
/// session-level advisory lock of its own, so one node runs the job at a time; on SQLite the file has one writer
/// already, so each delete runs on the webhook writer's thread between two of its group commits
/// (<see cref="GroupCommitScheduler.RunBetweenCommits{T}"/>) rather than contending with them for the write lock.
/// </summary>
public sealed class RetentionStore(IServiceProvider services, StorageEngine engine)
{
    /// <summary>Any constant, the same on every node ("CCretain"), different from the commit and migration locks.</summary>
    internal const long RetentionLockKey = 0x43_43_72_65_74_61_69_6E;

    private const string TryTakeLock = "SELECT pg_try_advisory_lock(@Key)";
    private const string ReleaseLock = "SELECT pg_advisory_unlock(@Key)";


    // The batch is read from the floor up in sequence order; the job keeps its prefix that is older than the cut-off.
    private const string SelectBatch = """
        SELECT sequence AS Sequence, sdk_app_id AS SdkAppId, callback_command AS CallbackCommand,
               official_account AS OfficialAccount, owner_account AS OwnerAccount, operator_account AS OperatorAccount,
               name AS Name, event_time AS EventTime, receive_time AS ReceiveTime, client_ip AS ClientIp,
               opt_platform AS OptPlatform, opt_platform_raw AS OptPlatformRaw, payload_json AS PayloadJson,
               delivery_key AS DeliveryKey
        FROM webhook_events WHERE sequence >= @Floor ORDER BY sequence LIMIT @Limit
        """;

    // The floor moves only from where this run read it: were another run to have moved it meanwhile, nothing is deleted.
    private const string MoveFloor = "UPDATE retention_floor SET first_sequence = @Next WHERE id = 1 AND first_sequence = @First";
    private const string DeleteRange = "DELETE FROM webhook_events WHERE sequence >= @First AND sequence < @Next";

    /// <summary>A session for one run, or null when another node's run holds the PostgreSQL lock.</summary>
    public Session? Open()
    {
        if (engine == StorageEngine.Sqlite)
        {
            var writer = services.GetService<GroupCommitScheduler>();
            return new Session(services.GetRequiredService<SqliteConnectionFactory>().Open(), locked: false, writer);
        }

        var connection = services.GetRequiredService<PostgresConnectionFactory>().OpenWriteConnection();
        try
        {
            if (!connection.ExecuteScalar<bool>(TryTakeLock, new { Key = RetentionLockKey }))
            {
                connection.Dispose();
                return null;
            }

            return new Session(connection, locked: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <param name="writer">On SQLite, the webhook host's writer, whose thread runs the deletes; null elsewhere.</param>
    public sealed class Session(DbConnection connection, bool locked, GroupCommitScheduler? writer = null) : IDisposable
    {
        public long Floor() => connection.ExecuteScalar<long>(WebhookEventReader.SelectFloor);

        public IReadOnlyList<ArchivedEvent> ReadBatch(long floor, int limit) =>
            connection.Query<Row>(SelectBatch, new { Floor = floor, Limit = limit }).Select(r => r.ToArchived()).ToList();

        /// <summary>Deletes <c>[first, next)</c> and moves the floor to <paramref name="next"/> in one transaction; false if the floor had moved.</summary>
        public int DeleteBelow(long first, long next) =>
            writer is null ? Delete(first, next) : writer.RunBetweenCommits(() => Delete(first, next));

        private int Delete(long first, long next)
        {
            using var transaction = connection.BeginTransaction();
            if (connection.Execute(MoveFloor, new { First = first, Next = next }, transaction) != 1)
            {
                return -1;
            }

            var deleted = connection.Execute(DeleteRange, new { First = first, Next = next }, transaction);
            transaction.Commit();
            return deleted;
        }

        public void Dispose()
        {
            try
            {
                if (locked && connection is NpgsqlConnection { State: System.Data.ConnectionState.Open })
                {
                    connection.Execute(ReleaseLock, new { Key = RetentionLockKey });
                }
            }
            catch (NpgsqlException)
            {
                // The session ends below: PostgreSQL releases a session's advisory locks with it.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }

    private sealed record Row(
        long Sequence, string SdkAppId, string CallbackCommand, string? OfficialAccount, string? OwnerAccount,
        string? OperatorAccount, string? Name, long? EventTime, long ReceiveTime, string? ClientIp, string? OptPlatform,
        string? OptPlatformRaw, string PayloadJson, string DeliveryKey)
    {
        public ArchivedEvent ToArchived() => new(
            Sequence, SdkAppId, CallbackCommand, OfficialAccount, OwnerAccount, OperatorAccount, Name,
            UnixMs.ToTime(EventTime), DateTimeOffset.FromUnixTimeMilliseconds(ReceiveTime), ClientIp, OptPlatform,
            OptPlatformRaw, PayloadJson, DeliveryKey);
    }
}
