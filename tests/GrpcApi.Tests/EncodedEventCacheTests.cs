using CleanChat.GrpcApi.Services;
using Proto = CleanChat.Contracts.V1;
using WebhookEvent = CleanChat.Domain.Events.WebhookEvent;

namespace CleanChat.GrpcApi.Tests;

public sealed class EncodedEventCacheTests
{
    private readonly EncodedEventCache _cache = new();

    private static WebhookEvent Event(long sequence, string payload = """{"CallbackCommand":"x"}""") => new()
    {
        Sequence = sequence,
        SdkAppId = "1400000000",
        CallbackCommand = "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
        OfficialAccount = $"@TOA#_{sequence}",
        ReceiveTime = DateTimeOffset.UnixEpoch.AddSeconds(sequence),
        PayloadJson = payload,
        DeliveryKey = $"key-{sequence}",
    };

    [Fact]
    public void Encodes_an_event_once_however_many_streams_send_it_at_once()
    {
        const int Streams = 8;
        var sent = new EncodedWebhookEvent[Streams];
        using var start = new Barrier(Streams);
        var threads = Enumerable.Range(0, Streams).Select(i => new Thread(() =>
        {
            var own = Event(7); // each stream holds its own copy of the event, as after a backlog read
            start.SignalAndWait();
            sent[i] = _cache.Get(own);
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Single(sent.Distinct(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void Sends_the_event_as_the_proto_message()
    {
        var sent = Proto.WebhookEvent.Parser.ParseFrom(_cache.Get(Event(3)).Message);

        Assert.Equal(3, sent.Sequence);
        Assert.Equal("@TOA#_3", sent.OfficialAccount);
        Assert.Equal("""{"CallbackCommand":"x"}""", sent.PayloadJson);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(3), sent.ReceiveTime.ToDateTimeOffset());
    }

    [Fact]
    public void Encodes_again_an_event_whose_slot_a_later_one_took()
    {
        var first = _cache.Get(Event(1));
        var later = _cache.Get(Event(1 + 1024));

        var again = _cache.Get(Event(1));

        Assert.Equal(1 + 1024, Proto.WebhookEvent.Parser.ParseFrom(later.Message).Sequence);
        Assert.Equal(1, Proto.WebhookEvent.Parser.ParseFrom(again.Message).Sequence);
        Assert.Equal(first.Message, again.Message);
    }

    [Fact]
    public void Does_not_keep_an_event_with_a_large_body()
    {
        var large = Event(5, new string('x', 20_000));

        var first = _cache.Get(large);
        var second = _cache.Get(large);

        Assert.NotSame(first, second);
        Assert.Equal(first.Message, second.Message);
    }
}
