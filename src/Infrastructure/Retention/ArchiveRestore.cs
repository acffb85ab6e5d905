using System.Data.Common;
using CleanChat.Infrastructure.Persistence;
using CleanChat.Infrastructure.Postgres;
using CleanChat.Infrastructure.Sqlite;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// Loads archive files back into a store, for an audit or a migration: each event under its own sequence and delivery
/// key, skipped when either is already there, so loading the same files twice changes nothing. Only the log is
/// loaded; the state tables are not folded again (an archive is history, the state the current truth). The floor
/// is not moved: restored into a fresh store (floor 1) every event is served; restored below a live store's floor,
/// Get and List find them, and Watch still begins at the floor.
/// </summary>
public sealed class ArchiveRestore(IServiceProvider services, StorageEngine engine)
{
    private const string Columns = """
        sequence, sdk_app_id, callback_command, official_account, owner_account, operator_account, name,
        event_time, receive_time, client_ip, opt_platform, opt_platform_raw, payload_json, delivery_key
        """;

    private const string Values = """
        (@Sequence, @SdkAppId, @CallbackCommand, @OfficialAccount, @OwnerAccount, @OperatorAccount, @Name,
         @EventTime, @ReceiveTime, @ClientIp, @OptPlatform, @OptPlatformRaw, @PayloadJson, @DeliveryKey)
        """;

    // No conflict target: a sequence or a delivery key already stored both mean "already there".
    private const string SqliteInsert = $"INSERT INTO webhook_events ({Columns}) VALUES {Values} ON CONFLICT DO NOTHING";
    private const string PostgresInsert = $"INSERT INTO webhook_events ({Columns}) OVERRIDING SYSTEM VALUE VALUES {Values} ON CONFLICT DO NOTHING";

    // Restored ascending, under the writers' commit lock, so sequence order stays commit order for followers.
    private const string TakeCommitLock = "SELECT pg_advisory_xact_lock(18932926497189735)"; // PostgresEventLogWriter.CommitLockKey

    // An identity given values by hand does not move: keep the next sequence above everything restored.
    private const string RaiseIdentity = """
        SELECT setval(pg_get_serial_sequence('webhook_events', 'sequence'), m)
        FROM (SELECT MAX(sequence) AS m FROM webhook_events) AS t
        WHERE m IS NOT NULL AND m >= (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM webhook_events_sequence_seq)
        """;

    /// <summary>Loads every confirmed range in <paramref name="archive"/>; returns (files, events read, events inserted).</summary>
    public (int Files, long Read, long Inserted) Load(EventArchive archive)
    {
        var (files, read, inserted) = (0, 0L, 0L);
        using DbConnection connection = engine == StorageEngine.Sqlite
            ? services.GetRequiredService<SqliteConnectionFactory>().Open()
            : services.GetRequiredService<PostgresConnectionFactory>().OpenWriteConnection();
        foreach (var range in archive.Ranges())
        {
            var events = EventArchive.Read(Path.Combine(archive.Folder, range.File)).ToList();
            if (events.Count != range.Count)
            {
                throw new InvalidDataException($"The archive file '{range.File}' holds {events.Count} events; its manifest says {range.Count}.");
            }

            using var transaction = connection.BeginTransaction();
            if (engine == StorageEngine.Postgres)
            {
                connection.Execute(TakeCommitLock, transaction: transaction);
            }

            inserted += connection.Execute(engine == StorageEngine.Sqlite ? SqliteInsert : PostgresInsert, events.Select(Parameters), transaction);
            if (engine == StorageEngine.Postgres)
            {
                connection.Execute(RaiseIdentity, transaction: transaction);
            }

            transaction.Commit();
            files++;
            read += events.Count;
        }

        return (files, read, inserted);
    }

    private static object Parameters(ArchivedEvent e) => new
    {
        e.Sequence,
        e.SdkAppId,
        e.CallbackCommand,
        e.OfficialAccount,
        e.OwnerAccount,
        e.OperatorAccount,
        e.Name,
        EventTime = e.EventTime?.ToUnixTimeMilliseconds(),
        ReceiveTime = e.ReceiveTime.ToUnixTimeMilliseconds(),
        e.ClientIp,
        e.OptPlatform,
        e.OptPlatformRaw,
        e.PayloadJson,
        e.DeliveryKey,
    };
}
