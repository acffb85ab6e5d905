using System.Diagnostics;
using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Retention;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// A consistent copy of a live SQLite store with <c>VACUUM INTO</c>: it reads one snapshot (a WAL read transaction,
/// which never blocks the writer), and writes a compact file without the free pages retention left behind, so the
/// copy is also how an operator shrinks the store. The copy goes to a temporary name beside the target, is checked
/// with <c>PRAGMA integrity_check</c>, flushed, and only then renamed into place.
/// </summary>
public sealed class SqliteBackup(SqliteConnectionFactory connections)
{
    private const string VacuumInto = "VACUUM INTO @Path";
    private const string IntegrityCheck = "PRAGMA integrity_check";
    private const string Holdings = $"""
        SELECT ({WebhookEventReader.SelectFloor}) AS Floor,
               COALESCE(MIN(sequence), 0) AS First, COALESCE(MAX(sequence), 0) AS Last, COUNT(*) AS Count
        FROM webhook_events
        """;

    /// <summary>What a backup holds: the floor, the first and last sequence, how many events, and how long it took.</summary>
    public sealed record Result(long Floor, long First, long Last, long Count, TimeSpan Elapsed);

    public Result Write(string target)
    {
        var path = Path.GetFullPath(target);
        if (File.Exists(path))
        {
            throw new IOException($"'{path}' already exists; name a new file for the backup.");
        }

        var started = Stopwatch.GetTimestamp();
        var temporary = path + ".tmp";
        File.Delete(temporary);
        try
        {
            using (var source = connections.OpenExisting())
            {
                source.Execute(VacuumInto, new { Path = temporary });
            }

            Result result;
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ConnectionString))
            {
                copy.Open();
                var check = string.Join("; ", copy.Query<string>(IntegrityCheck));
                if (check != "ok")
                {
                    throw new InvalidDataException($"The copy failed PRAGMA integrity_check: {check}");
                }

                var (floor, first, last, count) = copy.QuerySingle<(long, long, long, long)>(Holdings);
                // VACUUM INTO leaves the copy in rollback-journal mode; the hosts expect WAL, as the migrator sets it.
                copy.Execute("PRAGMA journal_mode = WAL;");
                result = new Result(floor, first, last, count, TimeSpan.Zero);
            }

            using (var file = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
            Fsync.Folder(Path.GetDirectoryName(path)!);
            return result with { Elapsed = Stopwatch.GetElapsedTime(started) };
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(temporary);
            File.Delete(temporary + "-wal");
            File.Delete(temporary + "-shm");
        }
    }
}
