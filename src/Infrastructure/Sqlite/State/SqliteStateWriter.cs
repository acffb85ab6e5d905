using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.OfficialAccounts;
using Microsoft.Data.Sqlite;

namespace CleanChat.Infrastructure.Sqlite.State;

/// <summary>
/// Applies an event's <see cref="StateChange"/> on SQLite, inside the group commit's transaction and only for an
/// event just inserted: the rows its change type owns, then its account's row. A new change type adds one case here.
/// </summary>
internal sealed class SqliteStateWriter(SqliteConnection connection) : IDisposable
{
    private readonly SqliteAccountRows _accounts = new(connection);
    private readonly SqliteSubscriberRows _subscribers = new(connection);
    private readonly SqliteMessageRows _messages = new(connection);

    public void Apply(StateChange change, long sequence, string deliveryKey, SqliteTransaction transaction)
    {
        var subscriberDelta = 0L;
        switch (change)
        {
            case AccountChange:
                break; // the account's row only
            case SubscriberChange subscribers:
                subscriberDelta = _subscribers.Apply(subscribers, transaction);
                break;
            case MessageChange message:
                _messages.Apply(message, transaction);
                break;
            case WithdrawalChange withdrawal:
                _messages.Apply(withdrawal, transaction);
                break;
            default:
                throw new NotSupportedException($"SQLite has no writer for {change.GetType().Name}.");
        }

        _accounts.Apply(AccountRow.Of(change), sequence, deliveryKey, subscriberDelta, transaction);
    }

    public void Dispose()
    {
        _accounts.Dispose();
        _subscribers.Dispose();
        _messages.Dispose();
    }
}
