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
