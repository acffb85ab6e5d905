using Grpc.Core;
using Proto = CleanChat.Contracts.V1;

namespace CleanChat.GrpcApi.Services;

/// <summary>
/// A <c>cleanchat.v1.WebhookEvent</c> already in its wire form. Watch sends these: its marshaller hands the bytes
/// over as they are, so an event encoded once goes out on every stream without being serialised again.
/// </summary>
public sealed record EncodedWebhookEvent(long Sequence, byte[] Message)
{
    public static Marshaller<EncodedWebhookEvent> Marshaller { get; } = Marshallers.Create<EncodedWebhookEvent>(
        (e, context) => context.Complete(e.Message),
        context => Decode(context.PayloadAsNewBuffer()));

    public static EncodedWebhookEvent Encode(Domain.Events.WebhookEvent e) =>
        new(e.Sequence, Google.Protobuf.MessageExtensions.ToByteArray(e.ToProto()));

    // Only a client reads these; the server never does.
    private static EncodedWebhookEvent Decode(byte[] message) => new(Proto.WebhookEvent.Parser.ParseFrom(message).Sequence, message);
}
