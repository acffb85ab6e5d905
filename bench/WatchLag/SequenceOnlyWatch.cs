using System.Buffers;
using CleanChat.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CleanChat.WatchLag;

/// <summary>
/// WatchWebhookEvents as a follower that needs only its position: each message's sequence (field 1) is read and
/// the rest skipped, so the benchmark's own process costs little per event and the figures measure the server.
/// The wire is the same as the generated client's.
/// </summary>
internal static class SequenceOnlyWatch
{
    public static Method<WatchWebhookEventsRequest, Message> Method { get; } = new(
        MethodType.ServerStreaming,
        WebhookEventService.Descriptor.FullName,
        "WatchWebhookEvents",
        Marshallers.Create(request => request.ToByteArray(), WatchWebhookEventsRequest.Parser.ParseFrom),
        Marshallers.Create<Message>(
            (_, _) => throw new NotSupportedException("A watcher never sends an event."),
            context => new Message(ReadSequence(context.PayloadAsReadOnlySequence()))));

    /// <summary>What this watcher keeps of a <c>cleanchat.v1.WebhookEvent</c>.</summary>
    public sealed record Message(long Sequence);

    // Protobuf writes fields in number order, so the sequence comes first; a field before it is skipped by wire type.
    private static long ReadSequence(ReadOnlySequence<byte> message)
    {
        var reader = new SequenceReader<byte>(message);
        while (!reader.End)
        {
            var tag = ReadVarint(ref reader);
            var wireType = (int)(tag & 7);
            if (tag >> 3 == WebhookEvent.SequenceFieldNumber && wireType == 0)
            {
                return (long)ReadVarint(ref reader);
            }

            switch (wireType)
            {
                case 0: ReadVarint(ref reader); break;
                case 1: reader.Advance(8); break;
                case 2: reader.Advance((long)ReadVarint(ref reader)); break;
                case 5: reader.Advance(4); break;
                default: throw new InvalidDataException($"Wire type {wireType} in a WebhookEvent.");
            }
        }

        return 0; // proto3 leaves a zero out
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                throw new InvalidDataException("A truncated varint.");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A varint longer than ten bytes.");
    }
}
