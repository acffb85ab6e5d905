using Xunit;

namespace CleanChat.TestSupport;

/// <summary>
/// What a test needs from the machine it runs on (PostgreSQL's server binaries, root). Where it is missing, the test is
/// skipped, except under <c>CI=true</c>: there a skip would pass unseen, so the test fails instead.
/// </summary>
public static class Prerequisite
{
    /// <summary>Whether <c>CI</c> is <c>true</c>, as CI services set it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Nothing if <paramref name="met"/>; otherwise throws <see cref="Missing"/>.</summary>
    public static void Require(bool met, string missing)
    {
        if (!met)
        {
            throw Missing(missing);
        }
    }

    /// <summary>
    /// <see cref="SkipException"/> (a [SkippableFact] or [SkippableTheory] is skipped), or under CI=true an
    /// <see cref="InvalidOperationException"/> (the test fails), saying what is <paramref name="missing"/>.
    /// </summary>
    public static Exception Missing(string missing) =>
        IsCi
            ? new InvalidOperationException(missing + " CI=true, so the test fails instead of being skipped.")
            : new SkipException(missing);
}
