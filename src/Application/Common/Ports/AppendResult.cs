namespace CleanChat.Application.Common.Ports;

/// <param name="Sequence">The event's place in the log (the earlier copy's, for a duplicate); 0 while it is spooled.</param>
/// <param name="Duplicate">True when the same delivery was already stored.</param>
/// <param name="Spooled">
/// True when the event is durable in this node's spool rather than in the log: it gets its sequence when the spool
/// drains into the database.
/// </param>
public readonly record struct AppendResult(long Sequence, bool Duplicate, bool Spooled = false)
{
    public static AppendResult SpooledResult { get; } = new(0, Duplicate: false, Spooled: true);
}
