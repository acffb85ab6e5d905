namespace CleanChat.Baseline.Reference;

/// <summary>
/// Section <c>Reference</c>: which durable mode the baseline runs in. <c>None</c>, the default, stores nothing.
/// </summary>
internal sealed class ReferenceOptions
{
    public const string Section = "Reference";

    public ReferenceEngine Engine { get; set; } = ReferenceEngine.None;

    /// <summary>A Microsoft.Data.Sqlite or an Npgsql connection string, for <see cref="Engine"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>As CleanChat's <c>Storage:Synchronous</c>: SQLite's <c>synchronous</c>, PostgreSQL's <c>synchronous_commit</c>.</summary>
    public ReferenceSynchronous Synchronous { get; set; } = ReferenceSynchronous.Full;

    /// <summary>The engine's writer on a migrated database, or null for the no-storage baseline.</summary>
    public IReferenceWriter? OpenWriter()
    {
        if (Engine == ReferenceEngine.None)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException($"Reference:ConnectionString is required when Reference:Engine is {Engine}.");
        }

        return Engine switch
        {
            ReferenceEngine.Sqlite => SqliteReferenceWriter.Open(ConnectionString, Synchronous),
            ReferenceEngine.Postgres => PostgresReferenceWriter.Open(ConnectionString, Synchronous),
            _ => throw new InvalidOperationException("Reference:Engine must be None, Sqlite or Postgres."),
        };
    }
}

internal enum ReferenceEngine
{
    None,
    Sqlite,
    Postgres,
}

internal enum ReferenceSynchronous
{
    Full,
    Normal,
}
