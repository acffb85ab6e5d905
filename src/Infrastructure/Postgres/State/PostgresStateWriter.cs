using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.OfficialAccounts;
using Npgsql;

namespace CleanChat.Infrastructure.Postgres.State;

/// <summary>
/// An event's <see cref="StateChange"/> on PostgreSQL. The batch stays one round trip and one statement per event,
/// so the writer still tells a refused event by the statement the reader stopped at: the event's insert, then the
/// rows its change type owns, then its account's row, as one statement of data-modifying CTEs that all run only
/// for the row the insert returned. A new change type adds one statement and one case here.
/// </summary>
/// <remarks>
/// Parameters: $1 to $13 the event (<see cref="PostgresEventLogWriter"/>), $14 to $32 the account's row
/// (<see cref="PostgresAccountRows"/>), $33 on the change type's own.
/// </remarks>
internal static class PostgresStateWriter
{
    private static readonly string InsertEventAndAccount =
        PostgresEventLogWriter.InsertUnlessStored + PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert
        + PostgresEventLogWriter.SelectSequence;

    private static readonly string InsertEventAndSubscribers =
        PostgresEventLogWriter.InsertUnlessStored + PostgresSubscriberRows.Upsert + PostgresAccountRows.Upsert
        + PostgresEventLogWriter.SelectSequence;

    private static readonly string InsertEventAndMessage =
        PostgresEventLogWriter.InsertUnlessStored + PostgresMessageRows.UpsertSent + PostgresAccountRows.NoSubscriberDelta
        + PostgresAccountRows.Upsert + PostgresEventLogWriter.SelectSequence;

    private static readonly string InsertEventAndWithdrawal =
        PostgresEventLogWriter.InsertUnlessStored + PostgresMessageRows.UpsertWithdrawn + PostgresAccountRows.NoSubscriberDelta
        + PostgresAccountRows.Upsert + PostgresEventLogWriter.SelectSequence;

    // For an event already in the log (StateReplay): the state parts read its sequence instead of an insert's. The
    // event's parameters are bound all the same, so every part keeps its numbers; only $13, the key, is read here.
    private const string StoredEvent = """
        WITH inserted AS (SELECT sequence FROM webhook_events WHERE delivery_key = $13)
        """;

    private const string ReplayResult = """
        SELECT sequence FROM inserted
        """;

    private static readonly string ReplayAccount = StoredEvent + PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert + ReplayResult;
    private static readonly string ReplaySubscribers = StoredEvent + PostgresSubscriberRows.Upsert + PostgresAccountRows.Upsert + ReplayResult;
    private static readonly string ReplayMessage =
        StoredEvent + PostgresMessageRows.UpsertSent + PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert + ReplayResult;
    private static readonly string ReplayWithdrawal =
        StoredEvent + PostgresMessageRows.UpsertWithdrawn + PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert + ReplayResult;

    /// <summary>The statement that applies this change for an event already stored.</summary>
    public static string ReplayStatementFor(StateChange change) => change switch
    {
        AccountChange => ReplayAccount,
        SubscriberChange => ReplaySubscribers,
        MessageChange => ReplayMessage,
        WithdrawalChange => ReplayWithdrawal,
        _ => throw new NotSupportedException($"PostgreSQL has no writer for {change.GetType().Name}."),
    };

    /// <summary>The statement that inserts an event with this change; its event parameters must come first.</summary>
    public static string StatementFor(StateChange change) => change switch
    {
        AccountChange => InsertEventAndAccount,
        SubscriberChange => InsertEventAndSubscribers,
        MessageChange => InsertEventAndMessage,
        WithdrawalChange => InsertEventAndWithdrawal,
        _ => throw new NotSupportedException($"PostgreSQL has no writer for {change.GetType().Name}."),
    };

    /// <summary>Adds the change's parameters, after the event's.</summary>
    public static void Bind(NpgsqlParameterCollection p, StateChange change)
    {
        PostgresAccountRows.Bind(p, AccountRow.Of(change));
        switch (change)
        {
            case SubscriberChange subscribers:
                PostgresSubscriberRows.Bind(p, subscribers);
                break;
            case MessageChange message:
                PostgresMessageRows.Bind(p, message);
                break;
            case WithdrawalChange withdrawal:
                PostgresMessageRows.Bind(p, withdrawal);
                break;
        }
    }
}
