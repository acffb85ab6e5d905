using CleanChat.Infrastructure.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CleanChat.Infrastructure.Postgres;

/// <summary>
/// Wakes the feed on every writer's NOTIFY, from any node, and at the latest after the catch-up interval: a
/// notification lost with a dropped connection only delays an event. The first wait after (re)connecting returns
/// at once, so the feed reads whatever committed while it was not listening.
/// </summary>
internal sealed class PostgresCommitSignal(PostgresConnectionFactory connections, IOptions<WebhookEventFeedOptions> options) : ICommitSignal
{
    private const string Listen = $"LISTEN {PostgresEventLogWriter.Channel}";

    private readonly TimeSpan _catchUp = TimeSpan.FromMilliseconds(options.Value.CatchUpIntervalMilliseconds);
    private NpgsqlConnection? _connection;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_connection is null)
            {
                _connection = connections.OpenListenConnection();
                await using var listen = new NpgsqlCommand(Listen, _connection);
                await listen.ExecuteNonQueryAsync(cancellationToken);
                return;
            }

            // True on a notification, false when the catch-up interval passed: the feed reads either way.
            await _connection.WaitAsync(_catchUp, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
