namespace CleanChat.Application.Common.Ports;

/// <param name="Sequence">The event's place in the log (the earlier copy's, for a duplicate).</param>
/// <param name="Duplicate">True when the same delivery was already stored.</param>
public readonly record struct AppendResult(long Sequence, bool Duplicate);
