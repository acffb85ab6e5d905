namespace CleanChat.TestSupport;

/// <summary>The engines a test class runs on, and a fresh database on each.</summary>
public static class TestDatabases
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>A fresh database on <paramref name="engine"/>; on PostgreSQL, skipped outside CI where it is not installed.</summary>
    public static ITestDatabase Create(string engine) => engine switch
    {
        Sqlite => new TemporaryDatabase(),
        Postgres => new TemporaryPostgresDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Sqlite or Postgres"),
    };
}
