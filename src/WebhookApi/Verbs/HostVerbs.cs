using CleanChat.Infrastructure.Persistence;
using CleanChat.Infrastructure.Retention;
using CleanChat.Infrastructure.Sqlite;

namespace CleanChat.WebhookApi.Verbs;

/// <summary>
/// The operator commands the webhook host's executable runs instead of serving, with the host's own configuration
/// (appsettings, environment, command line after the verb's arguments):
/// <c>backup &lt;file&gt;</c> and <c>restore-archive &lt;folder&gt;</c>. Exit code 0 on success, 1 on a failure, 2 on a
/// misuse, with a line on standard error saying why.
/// </summary>
public static class HostVerbs
{
    public const string Backup = "backup";
    public const string RestoreArchive = "restore-archive";

    private const string PgDumpHelp = """
        On PostgreSQL, back up with PostgreSQL's own tools while the nodes keep running; pg_dump reads one consistent
        snapshot without blocking the writers:
          pg_dump --format=custom --file=cleanchat.dump "host=... dbname=cleanchat user=..."
        and restore into an empty database with
          pg_restore --dbname="host=... dbname=cleanchat_restored user=..." cleanchat.dump
        then point ConnectionStrings:CleanChat at it. For point-in-time recovery use continuous archiving
        (pg_basebackup and WAL archiving). CleanChat does not copy a PostgreSQL database itself.
        """;

    public static bool IsVerb(string[] args) => args is [Backup or RestoreArchive, ..];

    public static int Run(string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            Console.Error.WriteLine($"Usage: CleanChat.WebhookApi {Backup} <file> | {RestoreArchive} <archive folder> [configuration overrides]");
            return 2;
        }

        // The host's configuration, as it would start: the same files, environment and overrides.
        var builder = WebApplication.CreateBuilder(args[2..]);
        builder.Services.AddInfrastructure(builder.Configuration).AddConsoleLog(builder.Configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        using var services = builder.Build();
        var engine = string.Equals(builder.Configuration["Storage:Engine"], "Postgres", StringComparison.OrdinalIgnoreCase)
            ? StorageEngine.Postgres
            : StorageEngine.Sqlite;
        try
        {
            return args[0] == Backup ? RunBackup(services.Services, engine, args[1]) : RunRestore(services.Services, engine, args[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException
            or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"{args[0]} failed: {e.Message}");
            return 1;
        }
    }

    private static int RunBackup(IServiceProvider services, StorageEngine engine, string file)
    {
        if (engine == StorageEngine.Postgres)
        {
            Console.Error.WriteLine(PgDumpHelp);
            return 2;
        }

        var backup = new SqliteBackup(services.GetRequiredService<SqliteConnectionFactory>()).Write(file);
        Console.WriteLine(FormattableString.Invariant(
            $"Backed up {backup.Count} events, sequences {backup.First}-{backup.Last} (retention floor {backup.Floor}), to {Path.GetFullPath(file)} in {backup.Elapsed.TotalSeconds:0.000} s; integrity_check ok."));
        return 0;
    }

    private static int RunRestore(IServiceProvider services, StorageEngine engine, string folder)
    {
        // The target may be a fresh store, for an audit: give it the schema first.
        services.GetRequiredService<IDatabaseMigrator>().Migrate();
        var (files, read, inserted) = new ArchiveRestore(services, engine).Load(new EventArchive(Path.GetFullPath(folder)));
        Console.WriteLine(FormattableString.Invariant(
            $"Restored {files} archive files: {read} events read, {inserted} inserted, {read - inserted} already present."));
        return 0;
    }
}
