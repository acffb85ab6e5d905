namespace CleanChat.Baseline.Reference;

/// <summary>One engine's writing: a batch in one transaction, returning once it committed, throwing if it did not.</summary>
internal interface IReferenceWriter : IDisposable
{
    void Commit(IReadOnlyList<PendingEvent> batch);
}
