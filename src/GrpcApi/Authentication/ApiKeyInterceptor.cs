using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace CleanChat.GrpcApi.Authentication;

/// <summary>
/// When <c>Grpc:ApiKeys</c> is set, every call except health and reflection must carry
/// <c>authorization: Bearer &lt;key&gt;</c>. Keys are compared as SHA-256 digests with a fixed-time compare
/// against every configured key, so neither the time taken nor an early exit tells a caller how close a
/// guess was. Keys are never logged.
/// </summary>
public sealed class ApiKeyInterceptor(IOptions<ApiKeyOptions> options) : Interceptor
{
    private const string Scheme = "Bearer ";

    private readonly byte[][] _keyDigests = options.Value.ApiKeys.Select(Digest).ToArray();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        if (_keyDigests.Length == 0 || IsOpen(context.Method))
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Send 'authorization: Bearer <key>'."));
        }

        var presented = Digest(header[Scheme.Length..].Trim());
        var accepted = false;
        foreach (var key in _keyDigests)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(key, presented);
        }

        if (!accepted)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "The API key is not accepted."));
        }
    }

    // Probes and tooling (grpcurl list/describe) work without a key; they reveal no events.
    private static bool IsOpen(string method) =>
        method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal)
        || method.StartsWith("/grpc.reflection.v1alpha.ServerReflection/", StringComparison.Ordinal)
        || method.StartsWith("/grpc.reflection.v1.ServerReflection/", StringComparison.Ordinal);

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
