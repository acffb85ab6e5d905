namespace CleanChat.Infrastructure.Events;

/// <summary>The database refused one event of a group commit for what it holds; the others may go again without it.</summary>
internal sealed class EventRefusedException(int index, Exception cause)
    : Exception("The database refused one event of the group commit.", cause)
{
    /// <summary>Where the refused event is in the batch.</summary>
    public int Index { get; } = index;
}
