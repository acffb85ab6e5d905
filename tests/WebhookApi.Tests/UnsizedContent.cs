using System.Net;

namespace CleanChat.WebhookApi.Tests;

/// <summary>A body sent without Content-Length, as a chunked upload arrives: the host cannot know its size up front.</summary>
public sealed class UnsizedContent(byte[] body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
