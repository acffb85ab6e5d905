using CleanChat.Infrastructure.Events;

namespace CleanChat.Infrastructure.Postgres;

/// <param name="orderCommits">
/// Off only in the test that shows what the commit lock prevents: without it, sequences can commit out of order.
/// </param>
internal sealed class PostgresEventLogWriterFactory(PostgresConnectionFactory connections, bool orderCommits = true) : IEventLogWriterFactory
{
    public IEventLogWriter Open() => new PostgresEventLogWriter(connections.OpenWriteConnection, orderCommits);
}
