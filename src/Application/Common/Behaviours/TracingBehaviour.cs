using System.Diagnostics;
using CleanChat.Application.Common.Telemetry;
using MediatR;

namespace CleanChat.Application.Common.Behaviours;

/// <summary>
/// One span per MediatR request, the child of the HTTP or gRPC span and the parent of the storage work,
/// so a trace follows a webhook from the edge to its commit.
/// </summary>
public sealed class TracingBehaviour<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string SpanName = "mediatr " + DisplayName(typeof(TRequest));

    // Without a listener (no OTLP collector set) there is no span to make: the request goes straight on, with no
    // async state machine of this behaviour's in its way.
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        CleanChatTelemetry.ActivitySource.HasListeners() ? Traced(next) : next();

    private static async Task<TResponse> Traced(RequestHandlerDelegate<TResponse> next)
    {
        using var activity = CleanChatTelemetry.ActivitySource.StartActivity(SpanName);
        try
        {
            return await next();
        }
        catch (Exception e) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    // Callback<OfficialAccountDestroyed> reads better in a trace than Callback`1.
    private static string DisplayName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(",", type.GetGenericArguments().Select(DisplayName))}>"
        : type.Name;
}
