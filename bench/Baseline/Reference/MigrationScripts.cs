namespace CleanChat.Baseline.Reference;

/// <summary>
/// CleanChat's own migration scripts, embedded from its source folders (see Baseline.csproj), so the reference's
/// schema is CleanChat's: a migration that adds or drops an index changes the reference too.
/// </summary>
internal static class MigrationScripts
{
    /// <param name="engine"><c>sqlite</c> or <c>postgres</c>.</param>
    public static IReadOnlyList<string> For(string engine)
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var prefix = $"migrations/{engine}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal) // NNNN_name.sql: the order CleanChat applies them in
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            })
            .ToList();
    }
}
