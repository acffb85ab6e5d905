namespace CleanChat.Baseline.Reference;

/// <summary>An event waiting for its group commit, and the caller waiting for the answer: committed or not.</summary>
internal sealed class PendingEvent(DestroyedEvent destroyed)
{
    public DestroyedEvent Event { get; } = destroyed;

    // Asynchronous continuations: the writer thread goes back to writing instead of running the callers' requests.
    public TaskCompletionSource<bool> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
