using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>Everything the PostgreSQL engine adds, in one call.</summary>
internal static class PostgresStorage
{
    public const string ConnectionStringHelp =
        "ConnectionStrings:CleanChat must be a PostgreSQL connection string naming a host, e.g. " +
        "'Host=127.0.0.1;Port=5432;Database=cleanchat;Username=cleanchat;Password=...', while Storage:Engine is Postgres.";

    public static IServiceCollection AddPostgresStorage(this IServiceCollection services)
    {
        services.AddSingleton<PostgresConnectionFactory>();
        services.AddSingleton<ISqlConnectionFactory>(sp => sp.GetRequiredService<PostgresConnectionFactory>());
        services.AddSingleton<IDatabaseMigrator, PostgresMigrator>();
        services.AddSingleton<IDatabaseProbe, PostgresProbe>();
        services.AddSingleton<IEventLogWriterFactory>(sp => new PostgresEventLogWriterFactory(sp.GetRequiredService<PostgresConnectionFactory>()));
        services.AddSingleton<ICommitSignal, PostgresCommitSignal>();
        return services;
    }

    public static bool Fits(string connectionString)
    {
        try
        {
            // A SQLite string ("Data Source=file.db") parses here too, as a host named like a file: refuse that.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return !string.IsNullOrWhiteSpace(builder.Host)
                && !connectionString.Contains("Data Source", StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
