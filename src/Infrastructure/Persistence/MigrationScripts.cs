using System.Globalization;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>One engine's numbered SQL scripts (<c>NNNN_name.sql</c>), embedded in this assembly.</summary>
internal static class MigrationScripts
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> For(StorageEngine engine)
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var prefix = $"migrations/{engine.ToString().ToLowerInvariant()}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(name[..4], CultureInfo.InvariantCulture), name, reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1)
            .ToList();
    }
}
