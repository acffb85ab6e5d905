using CleanChat.Infrastructure.Events;
using CleanChat.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>Everything the SQLite engine adds, in one call.</summary>
internal static class SqliteStorage
{
    public const string ConnectionStringHelp =
        "ConnectionStrings:CleanChat must be a SQLite connection string naming a file, e.g. 'Data Source=data/cleanchat.db', " +
        "while Storage:Engine is Sqlite (the default).";

    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<ISqlConnectionFactory>(sp => sp.GetRequiredService<SqliteConnectionFactory>());
        services.AddSingleton<IDatabaseMigrator, SqliteMigrator>();
        services.AddSingleton<IDatabaseProbe, SqliteProbe>();
        services.AddSingleton<IEventLogWriterFactory, SqliteEventLogWriterFactory>();
        services.AddSingleton<ICommitSignal, SqliteCommitSignal>();
        return services;
    }

    public static bool Fits(string connectionString)
    {
        try
        {
            var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
            return !string.IsNullOrWhiteSpace(dataSource) && dataSource != ":memory:";
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
