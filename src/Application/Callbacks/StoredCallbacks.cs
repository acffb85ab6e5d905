using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// A delivery already in the log, read again through its callback's binding, validation and handler, for the state
/// change it brings. It folds in events stored before their command was typed (they changed no state then), with the
/// same code as a live delivery.
/// </summary>
public sealed class StoredCallbacks(IEnumerable<IStoredCallback> callbacks)
{
    private readonly Dictionary<string, IStoredCallback> _byCommand = callbacks.ToDictionary(c => c.CallbackCommand, StringComparer.Ordinal);

    /// <summary>
    /// The state change <paramref name="stored"/> brings; null for a command without a typed handler, one that changes
    /// no state, or a body its callback would refuse today (it was stored when nothing was refused).
    /// </summary>
    public StateChange? ChangeOf(WebhookEvent stored) =>
        _byCommand.TryGetValue(stored.CallbackCommand, out var callback) ? callback.ChangeOf(stored) : null;
}
