namespace CleanChat.GrpcApi.Services;

/// <summary>
/// The wire form of recent events, one per sequence, shared by every Watch stream in this process: the live feed
/// hands each new event to every watcher at about the same moment, so the first stream to send it encodes it and
/// the others reuse the bytes. Watchers resuming through the same backlog share it too.
/// </summary>
public sealed class EncodedEventCache
{
    // A slot per sequence modulo the size: watchers within 1024 events of each other share each encoding. One
    // further behind may find its slot reused and encode the event again, which costs time, never correctness.
    private const int Slots = 1024;

    // An event with a larger body is encoded by each stream and not kept, so the cache stays small (typically
    // under 1 MB, at most about 50 MB) whatever Webhook:MaxBodyBytes allows.
    private const int MaxCachedPayloadChars = 16 * 1024;

    private readonly EncodedWebhookEvent?[] _slots = new EncodedWebhookEvent?[Slots];
    private readonly Lock _encoding = new();

    public EncodedWebhookEvent Get(Domain.Events.WebhookEvent e)
    {
        if (e.PayloadJson.Length > MaxCachedPayloadChars)
        {
            return EncodedWebhookEvent.Encode(e);
        }

        ref var slot = ref _slots[e.Sequence & (Slots - 1)];
        var cached = Volatile.Read(ref slot);
        if (cached?.Sequence == e.Sequence)
        {
            return cached;
        }

        // Streams woken together would otherwise all miss at once and each encode the same event.
        lock (_encoding)
        {
            cached = slot;
            if (cached?.Sequence != e.Sequence)
            {
                cached = EncodedWebhookEvent.Encode(e);
                Volatile.Write(ref slot, cached);
            }

            return cached;
        }
    }
}
