using System.ComponentModel.DataAnnotations;

namespace CleanChat.Infrastructure.Spool;

/// <summary>
/// The webhook node's spool (section <c>Storage:Spool</c>): where callbacks wait, durably, while PostgreSQL cannot
/// take them. Used only with <c>Storage:Engine=Postgres</c>, where it is on unless <see cref="Enabled"/> is false.
/// </summary>
public sealed class SpoolOptions
{
    public const string Section = "Storage:Spool";

    /// <summary>True (default): an OK means the callback is in PostgreSQL or in this node's spool.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The spool's SQLite file; a relative path is under the host's content root. One file per node.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Storage:Spool:Path must name a file.")]
    public string Path { get; set; } = "data/spool.db";

    /// <summary>
    /// How long a group commit to PostgreSQL may take before its callbacks are spooled instead, so that the answer
    /// leaves well inside Tencent's 2 s.
    /// </summary>
    [Range(50, 1800, ErrorMessage = "Storage:Spool:CommitBudgetMs must be between 50 and 1800.")]
    public int CommitBudgetMs { get; set; } = 1000;

    /// <summary>The most the spool may hold (its callbacks' columns, in bytes); past it, callbacks are answered 500.</summary>
    [Range(1L << 20, long.MaxValue, ErrorMessage = "Storage:Spool:MaxBytes must be at least 1048576 (1 MiB).")]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>
    /// The most spooled events one drain transaction moves to PostgreSQL. Each drain holds the cluster's commit lock for
    /// its whole transaction, so other nodes' live commits wait that long: large enough to drain fast, small enough
    /// that they stay well inside their budget.
    /// </summary>
    [Range(1, 50_000, ErrorMessage = "Storage:Spool:DrainBatchSize must be between 1 and 50000.")]
    public int DrainBatchSize { get; set; } = 500;
}
