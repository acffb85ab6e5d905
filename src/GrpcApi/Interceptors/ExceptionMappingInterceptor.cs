using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Events.WatchWebhookEvents;
using FluentValidation;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CleanChat.GrpcApi.Interceptors;

/// <summary>
/// Turns Application exceptions into gRPC statuses at the edge, so handlers stay protocol-free and bad
/// input never surfaces as UNKNOWN.
/// </summary>
public sealed partial class ExceptionMappingInterceptor(TimeProvider clock, ILogger<ExceptionMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Map(e, context) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Map(e, context) is { } status)
        {
            throw new RpcException(status);
        }
    }

    private Status? Map(Exception exception, ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested && exception is not ValidationException)
        {
            // The call's own end (client cancel or deadline) interrupted the work: whatever the database
            // threw on the way out is a symptom of that, not a storage fault.
            return context.Deadline <= clock.GetUtcNow().UtcDateTime
                ? new Status(StatusCode.DeadlineExceeded, "The call's deadline passed.")
                : new Status(StatusCode.Cancelled, "The call was cancelled.");
        }

        switch (exception)
        {
            case ValidationException v:
                return new Status(StatusCode.InvalidArgument, string.Join("; ", v.Errors.Select(f => $"{f.PropertyName}: {f.ErrorMessage}")));
            case NotFoundException n:
                return new Status(StatusCode.NotFound, n.Message);
            case RemovedByRetentionException removed:
                return new Status(StatusCode.OutOfRange, removed.Message);
            case WatchFellBehindException behind:
                return new Status(StatusCode.ResourceExhausted, behind.Message);
            case StorageUnavailableException:
                LogStorageFailure(context.Method, exception);
                return new Status(StatusCode.Unavailable, "The event store cannot be read right now; retry later.");
            default:
                return null; // a real fault: let gRPC report it as one
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage failure in {Method}")]
    private partial void LogStorageFailure(string method, Exception exception);
}
