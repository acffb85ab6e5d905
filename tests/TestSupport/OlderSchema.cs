using System.Globalization;
using CleanChat.Infrastructure.Sqlite;

namespace CleanChat.TestSupport;

/// <summary>
/// A database as an older build left it: the engine's migration scripts up to a version, and that version recorded,
/// so the next start migrates it the way a deployed database is upgraded. The scripts are the ones the build embeds.
/// </summary>
public static class OlderSchema
{
    /// <summary>Applies <paramref name="database"/>'s engine scripts numbered up to <paramref name="version"/>.</summary>
    public static void Create(ITestDatabase database, int version)
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        var prefix = $"migrations/{database.Engine.ToLowerInvariant()}/";
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n[prefix.Length..][..4], CultureInfo.InvariantCulture), Name: n))
            .Where(s => s.Version <= version)
            .OrderBy(s => s.Version)
            .ToList();
        if (scripts.Count == 0 || scripts[^1].Version != version)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"{database.Engine} has no migration numbered {version}.");
        }

        var sql = string.Concat(scripts.Select(s =>
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(s.Name)!);
            return reader.ReadToEnd() + ";\n";
        }));
        var versioned = database.Engine == TestDatabases.Sqlite
            ? $"PRAGMA journal_mode = WAL; {sql} PRAGMA user_version = {version}; SELECT 0"
            : $"CREATE TABLE cleanchat_schema (version integer NOT NULL); INSERT INTO cleanchat_schema VALUES ({version}); {sql} SELECT 0";
        database.Scalar<object>(versioned);
    }
}
