using System.ComponentModel.DataAnnotations;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>Storage settings (section <c>Storage</c>). The connection string itself is <c>ConnectionStrings:CleanChat</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DefaultConnectionString = "Data Source=data/cleanchat.db";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public StorageEngine Engine { get; set; } = StorageEngine.Sqlite;

    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>
    /// <c>Full</c> (default): an acknowledged event survives power loss. <c>Normal</c>: it survives a
    /// process crash, and may lose the last commits on power loss, for more throughput. SQLite:
    /// <c>PRAGMA synchronous</c>; PostgreSQL: <c>synchronous_commit</c> on or off for the writer's sessions.
    /// </summary>
    public SynchronousMode Synchronous { get; set; } = SynchronousMode.Full;

    /// <summary>The most webhook events one group commit may hold.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long a write waits for a lock another process holds before it fails (and the webhook answers 500).
    /// Under Tencent's 2 s callback timeout, so the FAIL reaches Tencent and it redelivers. SQLite: the busy
    /// timeout; PostgreSQL: <c>lock_timeout</c> of the writer's sessions.
    /// </summary>
    [Range(1000, 30_000, ErrorMessage = "Storage:BusyTimeoutMs must be between 1000 and 30000.")]
    public int BusyTimeoutMs { get; set; } = 1500;
}
