namespace CleanChat.TestSupport;

/// <summary>
/// A spool file of its own for each webhook host a test starts on PostgreSQL: the default (<c>data/spool.db</c> under
/// the content root) would be one file for every host started from the same build, and a spool is one node's.
/// </summary>
public static class TestSpools
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "cleanchat-test-spools");

    public static string NewPath() => Path.Combine(Folder, $"spool-{Guid.NewGuid():N}.db");
}
