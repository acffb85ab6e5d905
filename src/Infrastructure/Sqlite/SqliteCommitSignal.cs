using CleanChat.Infrastructure.Events;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CleanChat.Infrastructure.Sqlite;

/// <summary>
/// Polls <c>PRAGMA data_version</c> on a connection of its own: the value changes only when another connection
/// (the webhook host's writer, in any process) commits, and reading it costs no I/O. The first wait after
/// (re)connecting returns at once, so the feed reads whatever committed while it was not looking.
/// </summary>
internal sealed class SqliteCommitSignal(
    SqliteConnectionFactory connections, IOptions<WebhookEventFeedOptions> options, TimeProvider time) : ICommitSignal
{
    private const string SelectDataVersion = "PRAGMA data_version";

    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
    private SqliteConnection? _connection;
    private long? _dataVersion;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = _connection ??= connections.Open();
            while (true)
            {
                var version = connection.ExecuteScalar<long>(SelectDataVersion);
                if (version != _dataVersion)
                {
                    _dataVersion = version;
                    return;
                }

                await Task.Delay(_interval, time, cancellationToken);
            }
        }
        catch (SqliteException)
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
        _dataVersion = null;
    }
}
