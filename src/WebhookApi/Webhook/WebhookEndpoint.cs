using System.Buffers;
using System.Text;
using System.Text.Json;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Telemetry;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CleanChat.WebhookApi.Webhook;

/// <summary>
/// <c>POST /webhook</c>: checks a delivery is for one of our apps, reads it into the MediatR command for its
/// <c>CallbackCommand</c>, sends it, and answers Tencent. The answer is OK only once the event is committed.
/// Every refusal is a Tencent FAIL body with a <see cref="WebhookErrorCode"/>; only a storage fault is a 500.
/// </summary>
public sealed partial class WebhookEndpoint(
    IMediator mediator,
    CallbackRegistry callbacks,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    CleanChatMetrics metrics,
    ILogger<WebhookEndpoint> logger)
{
    public const string Path = "/webhook";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly HashSet<string> _sdkAppIds = new(options.Value.SdkAppIds, StringComparer.Ordinal);
    private readonly int _maxBodyBytes = options.Value.MaxBodyBytes;

    public async Task HandleAsync(HttpContext http)
    {
        var refusal = await ReceiveAsync(http);
        RecordMetrics(http.Request, refusal);
        var response = http.Response;
        response.ContentType = "application/json";
        if (refusal is null)
        {
            response.ContentLength = TencentAnswer.OkUtf8.Length;
            await response.Body.WriteAsync(TencentAnswer.OkUtf8, http.RequestAborted);
            return;
        }

        response.StatusCode = refusal.Value.Status;
        await JsonSerializer.SerializeAsync(response.Body, refusal.Value.Answer, cancellationToken: http.RequestAborted);
    }

    /// <returns>Null when the event was committed; otherwise why it was refused.</returns>
    private async Task<Refusal?> ReceiveAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "POST";
            return Refuse(StatusCodes.Status405MethodNotAllowed, WebhookErrorCode.MethodNotAllowed, "Only POST is accepted.");
        }

        if (Single(request.Query, "SdkAppid") is not { } sdkAppId || !_sdkAppIds.Contains(sdkAppId))
        {
            return Refuse(StatusCodes.Status403Forbidden, WebhookErrorCode.UnknownApp, "SdkAppid is missing or is not an app this service serves.");
        }

        if (Single(request.Query, "CallbackCommand") is not { Length: > 0 and <= Domain.Callbacks.CallbackCommands.MaxLength } command)
        {
            return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, "CallbackCommand is missing from the query, repeated, or too long.");
        }

        if (request.ContentLength > _maxBodyBytes)
        {
            return TooLarge();
        }

        var body = await ReadBodyAsync(request, http.RequestAborted);
        if (body is null)
        {
            return TooLarge();
        }

        try
        {
            var envelope = new CallbackEnvelope(
                sdkAppId,
                command,
                Single(request.Query, "ClientIP"),
                Single(request.Query, "OptPlatform"),
                clock.GetUtcNow(),
                StrictUtf8.GetString(body));
            await mediator.Send(callbacks.Bind(envelope, body), http.RequestAborted);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, "The body is not valid UTF-8.");
        }
        catch (CallbackBodyException e)
        {
            return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, e.Message);
        }
        catch (ValidationException e)
        {
            var info = string.Join(" ", e.Errors.Select(f => f.ErrorMessage));
            return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.InvalidField, info);
        }
        catch (StorageUnavailableException e)
        {
            LogStorageFailure(command, sdkAppId, e);
            return Refuse(StatusCodes.Status500InternalServerError, WebhookErrorCode.StorageFailure, "The event could not be stored; please retry.");
        }
    }

    /// <summary>Reads the whole body, or returns null as soon as it exceeds the limit.</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > _maxBodyBytes)
            {
                reader.AdvanceTo(buffer.Start);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The parameter's value when it is present exactly once; a repeated parameter is ambiguous.</summary>
    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private void RecordMetrics(HttpRequest request, Refusal? refusal)
    {
        // Only commands we know become a tag: anything else is "other", so the query cannot mint series.
        var command = Single(request.Query, "CallbackCommand") is { } c && callbacks.KnownCommands.Contains(c) ? c : "other";
        var code = (WebhookErrorCode?)refusal?.Answer.ErrorCode;
        metrics.WebhookAnswered(command, code?.ToString(), code == WebhookErrorCode.StorageFailure);
    }

    private Refusal TooLarge() =>
        Refuse(StatusCodes.Status413PayloadTooLarge, WebhookErrorCode.BodyTooLarge, $"The body is larger than {_maxBodyBytes} bytes.");

    private static Refusal Refuse(int status, WebhookErrorCode code, string info) => new(status, TencentAnswer.Fail(code, info));

    private readonly record struct Refusal(int Status, TencentAnswer Answer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {CallbackCommand} for app {SdkAppId}")]
    private partial void LogStorageFailure(string callbackCommand, string sdkAppId, Exception exception);
}
