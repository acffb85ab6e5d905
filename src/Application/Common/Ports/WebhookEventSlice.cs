using CleanChat.Domain.Events;

namespace CleanChat.Application.Common.Ports;

/// <summary>
/// What one bounded read of the log found. A filter the storage has no index for is answered by reading the log in
/// sequence order, a bounded stretch at a time, so a read may stop before it found as many events as asked for, or
/// any: <see cref="ReadThrough"/> says where it stopped, and the next read continues from there.
/// </summary>
/// <param name="Events">The matching events, in the order asked for; at most the limit asked for.</param>
/// <param name="ReadThrough">
/// The cursor for the next read: every sequence between the cursor given and this one was read (newest first: the
/// next read asks for sequences below it; ascending: above it).
/// </param>
/// <param name="ReachedEnd">
/// The read found fewer events than the limit and went to the end of the log as it was when read (newest first: its
/// first event; ascending: its newest), so nothing further matched then.
/// </param>
public sealed record WebhookEventSlice(IReadOnlyList<WebhookEvent> Events, long ReadThrough, bool ReachedEnd);
