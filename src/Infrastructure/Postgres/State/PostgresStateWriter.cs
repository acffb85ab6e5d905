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
    // For an event already in the log (StateReplay): the state parts read its sequence instead of an insert's. The
    // event's parameters are bound all the same, so every part keeps its numbers; only $13, the key, is read here.
    private const string StoredEvent = """
        WITH inserted AS (SELECT sequence FROM webhook_events WHERE delivery_key = $13)
        """;

    private const string ReplayResult = """
        SELECT sequence FROM inserted
        """;

    // Each change type's state parts: the rows it owns, then its account's row. Built once, so each statement's text
    // is the same string every time (Npgsql prepares statements by their text).
    private static readonly Statements Account = new(PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert);
    private static readonly Statements Subscribers = new(PostgresSubscriberRows.Upsert + PostgresAccountRows.Upsert);
    private static readonly Statements Message =
        new(PostgresMessageRows.UpsertSent + PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert);
    private static readonly Statements Withdrawal =
        new(PostgresMessageRows.UpsertWithdrawn + PostgresAccountRows.NoSubscriberDelta + PostgresAccountRows.Upsert);

    /// <summary>The statement that inserts an event with this change; its event parameters must come first.</summary>
    public static string StatementFor(StateChange change) => For(change).Insert;

    /// <summary>The statement that applies this change for an event already stored.</summary>
    public static string ReplayStatementFor(StateChange change) => For(change).Replay;

    private static Statements For(StateChange change) => change switch
    {
        AccountChange => Account,
        SubscriberChange => Subscribers,
        MessageChange => Message,
        WithdrawalChange => Withdrawal,
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

    /// <summary>A change type's state parts after the event's insert, and after a lookup of the event already stored.</summary>
    private sealed record Statements(string Insert, string Replay)
    {
        public Statements(string stateParts)
            : this(
                PostgresEventLogWriter.InsertUnlessStored + stateParts + PostgresEventLogWriter.SelectSequence,
                StoredEvent + stateParts + ReplayResult)
        {
        }
    }
}
