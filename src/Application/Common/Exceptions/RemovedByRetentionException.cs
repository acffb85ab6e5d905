namespace CleanChat.Application.Common.Exceptions;

/// <summary>
/// A follower asked to resume below the retention floor: the events it would need next were removed. The state
/// (accounts, subscribers, messages) is complete, so it re-reads that and resumes from the floor. The gRPC host
/// answers OUT_OF_RANGE, as etcd answers "compacted" and Kubernetes 410 Gone.
/// </summary>
public sealed class RemovedByRetentionException(long afterSequence, long floor) : Exception(
    $"Events after sequence {afterSequence} up to {floor - 1} were removed by retention; the first sequence still held is {floor}. " +
    $"The official-account state is complete: re-read it, then resume with after_sequence {floor - 1}.")
{
    public long Floor { get; } = floor;
}
