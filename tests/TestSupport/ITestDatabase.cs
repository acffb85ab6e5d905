namespace CleanChat.TestSupport;

/// <summary>
/// A database the hosts under test run on, created for the test and removed afterwards. Each storage engine's
/// tests bring their own; the hosts only need the settings that point them at it.
/// </summary>
public interface ITestDatabase : IDisposable
{
    /// <summary>The configuration keys and values that make a host use this database.</summary>
    IReadOnlyDictionary<string, string?> HostSettings { get; }
}
