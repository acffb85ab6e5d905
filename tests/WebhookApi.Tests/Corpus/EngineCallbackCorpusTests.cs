using CleanChat.TestSupport;

namespace CleanChat.WebhookApi.Tests.Corpus;

/// <summary>Tencent's documented samples on the embedded engine: a real SQLite file.</summary>
public sealed class SqliteCallbackCorpusTests(SqliteCallbackCorpusTests.SqliteHosts hosts)
    : CallbackCorpusTests(hosts), IClassFixture<SqliteCallbackCorpusTests.SqliteHosts>
{
    public sealed class SqliteHosts : CorpusHosts
    {
        protected override ITestDatabase CreateDatabase() => new TemporaryDatabase();
    }
}

/// <summary>Tencent's documented samples on a real PostgreSQL database.</summary>
public sealed class PostgresCallbackCorpusTests(PostgresCallbackCorpusTests.PostgresHosts hosts)
    : CallbackCorpusTests(hosts), IClassFixture<PostgresCallbackCorpusTests.PostgresHosts>
{
    public sealed class PostgresHosts : CorpusHosts
    {
        protected override ITestDatabase CreateDatabase() => new TemporaryPostgresDatabase();
    }
}
