namespace CleanChat.Application.Events.WatchWebhookEvents;

/// <summary>
/// A watcher read so slowly that its bounded buffer filled and events were dropped for it. The stream ends;
/// the watcher resumes from the last sequence it received. The gRPC host answers RESOURCE_EXHAUSTED.
/// </summary>
public sealed class WatchFellBehindException(int bufferSize)
    : Exception($"The stream fell more than {bufferSize} events behind; resume with after_sequence set to the last sequence received.");
