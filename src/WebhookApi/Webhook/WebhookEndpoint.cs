using System.Buffers;
using System.Text;
using System.Text.Json;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Common.Exceptions;
using CleanChat.Application.Common.Telemetry;
using CleanChat.Domain.Callbacks;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;

namespace CleanChat.WebhookApi.Webhook;

/// <summary>
/// <c>POST /webhook</c>: checks a delivery is for one of our apps and signed by Tencent, reads it into the MediatR
/// command for its <c>CallbackCommand</c>, sends it, and answers Tencent. The answer is OK only once the event is
/// committed; for a "before" callback it carries the decision of <see cref="IBeforeCallbackPolicy"/>. Every refusal
/// is a Tencent FAIL body with a <see cref="WebhookErrorCode"/>; only a server fault is a 500.
/// Checks run in a fixed order and the first failure answers: method, app, authentication, query, charset,
/// size, body format, validation. The body decides whether it is JSON, whatever <c>Content-Type</c> says.
/// </summary>
public sealed partial class WebhookEndpoint(
    IMediator mediator,
    CallbackRegistry callbacks,
    WebhookAuthenticator authenticator,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    CleanChatMetrics metrics,
    ILogger<WebhookEndpoint> logger)
{
    public const string Path = "/webhook";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The sender went away: nothing is written, and the log line says so.
    private static readonly Outcome Abandoned = new(Result.Abandoned, null, null);

    private readonly HashSet<string> _sdkAppIds = new(options.Value.SdkAppIds, StringComparer.Ordinal);
    private readonly int _maxBodyBytes = options.Value.MaxBodyBytes;

    public async Task HandleAsync(HttpContext http)
    {
        var started = clock.GetTimestamp();
        var query = http.Request.Query;
        var sdkAppId = Single(query, "SdkAppid");
        var command = Single(query, "CallbackCommand");

        var outcome = await ReceiveAsync(http, sdkAppId, command);
        RecordMetrics(command, outcome);
        var response = http.Response;
        if (outcome.Result != Result.Abandoned)
        {
            response.ContentType = "application/json";
            if (outcome.Refusal is { } refusal)
            {
                response.StatusCode = refusal.Status;
                await JsonSerializer.SerializeAsync(response.Body, refusal.Answer, cancellationToken: http.RequestAborted);
            }
            else if (outcome.Decision is { } decision)
            {
                await JsonSerializer.SerializeAsync(response.Body, decision, cancellationToken: http.RequestAborted);
            }
            else
            {
                response.ContentLength = TencentAnswer.OkUtf8.Length;
                await response.Body.WriteAsync(TencentAnswer.OkUtf8, http.RequestAborted);
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var elapsedMs = clock.GetElapsedTime(started).TotalMilliseconds;
            var status = outcome.Result == Result.Abandoned ? 0 : response.StatusCode;
            var errorCode = outcome.Refusal?.Answer.ErrorCode ?? outcome.Decision?.ErrorCode ?? 0;
            LogRequest(command, sdkAppId, outcome.Result, status, errorCode, elapsedMs);
        }
    }

    private async Task<Outcome> ReceiveAsync(HttpContext http, string? sdkAppId, string? command)
    {
        if (Admit(http, sdkAppId, command) is { } refusal)
        {
            return refusal;
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(http.Request, http.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, "The body could not be read.");
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            return Abandoned;
        }

        // Admit refuses a missing SdkAppid or CallbackCommand, so both are set here.
        return body is null ? TooLarge() : await DispatchAsync(http, sdkAppId!, command!, body);
    }

    /// <summary>
    /// The checks made before the body is read, in their fixed order: method, app, authentication, command,
    /// content type, declared size. The first to fail answers; null admits the request.
    /// </summary>
    private Outcome? Admit(HttpContext http, string? sdkAppId, string? command)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "POST";
            return Refuse(StatusCodes.Status405MethodNotAllowed, WebhookErrorCode.MethodNotAllowed, "Only POST is accepted.");
        }

        if (sdkAppId is null || !_sdkAppIds.Contains(sdkAppId))
        {
            return Refuse(StatusCodes.Status403Forbidden, WebhookErrorCode.UnknownApp, "SdkAppid is missing, repeated, or not an app this service serves.");
        }

        var signCheck = authenticator.Check(Single(request.Query, "RequestTime"), Single(request.Query, "Sign"));
        if (signCheck != SignCheck.Valid)
        {
            return Refuse(StatusCodes.Status401Unauthorized, WebhookErrorCode.Unauthenticated, SignCheckInfo(signCheck));
        }

        if (command is not { Length: > 0 and <= CallbackCommands.MaxLength })
        {
            return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, "CallbackCommand is missing from the query, repeated, or too long.");
        }

        if (!IsJsonQueryContentType(request.Query))
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, WebhookErrorCode.UnsupportedContentType, "contenttype must be json; Tencent sends no other.");
        }

        if (!ContentTypeCharset.IsUtf8OrUnstated(request.ContentType))
        {
            return Refuse(StatusCodes.Status415UnsupportedMediaType, WebhookErrorCode.UnsupportedContentType, "The body must be UTF-8; Content-Type names another charset.");
        }

        return request.ContentLength > _maxBodyBytes ? TooLarge() : null;
    }

    /// <summary>The ErrorInfo of a 401: what was wrong with RequestTime and Sign, never the expected Sign.</summary>
    private static string SignCheckInfo(SignCheck signCheck) => signCheck switch
    {
        SignCheck.Missing => "RequestTime and Sign are required.",
        SignCheck.Malformed => "RequestTime must be Unix seconds and Sign 64 hex digits.",
        SignCheck.Stale => "RequestTime is too far from the server's clock.",
        _ => "Sign does not match.",
    };

    /// <summary>Sends the delivery's command; the answer is OK only once the event is committed.</summary>
    private async Task<Outcome> DispatchAsync(HttpContext http, string sdkAppId, string command, byte[] body)
    {
        try
        {
            var query = http.Request.Query;
            var envelope = new CallbackEnvelope(
                sdkAppId,
                command,
                Single(query, "ClientIP"),
                Single(query, "OptPlatform"),
                clock.GetUtcNow(),
                StrictUtf8.GetString(body));
            var (appended, answer) = await mediator.Send(callbacks.Bind(envelope, body), http.RequestAborted);
            // Every "after" callback, and a "before" callback the policy lets through, gets the plain OK.
            var decision = answer.IsPlainOk ? null : TencentAnswer.Recorded(answer);
            return new Outcome(appended.Spooled ? Result.Spooled : appended.Duplicate ? Result.Duplicate : Result.Stored, null, decision);
        }
        catch (Exception e)
        {
            return Answer(e, sdkAppId, command, http.RequestAborted.IsCancellationRequested);
        }
    }

    /// <summary>
    /// The answer to a delivery that threw. A failure we know is answered even if the sender has gone away;
    /// anything else is abandoned if it has, and otherwise is a bug answered 500.
    /// </summary>
    private Outcome Answer(Exception failure, string sdkAppId, string command, bool aborted)
    {
        switch (failure)
        {
            case DecoderFallbackException:
                return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, "The body is not valid UTF-8.");
            case CallbackBodyException:
                return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.MalformedRequest, failure.Message);
            case ValidationException invalid:
                var info = string.Join(" ", invalid.Errors.Select(f => f.ErrorMessage));
                return Refuse(StatusCodes.Status400BadRequest, WebhookErrorCode.InvalidField, info);
            case StorageUnavailableException:
                LogStorageFailure(command, sdkAppId, failure);
                return Refuse(StatusCodes.Status500InternalServerError, WebhookErrorCode.StorageFailure, "The event could not be stored; please retry.");
        }

        if (aborted)
        {
            return Abandoned;
        }

        // A bug, not the sender's fault: still a Tencent answer, and a 500 so a retry-enabled Tencent redelivers.
        LogUnexpectedFailure(command, sdkAppId, failure);
        return Refuse(StatusCodes.Status500InternalServerError, WebhookErrorCode.StorageFailure, "The event could not be processed; please retry.");
    }

    /// <summary>Reads the whole body, or returns null as soon as it exceeds the limit, without reading the rest.</summary>
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

    /// <summary>Tencent sends <c>contenttype=json</c>; absent is accepted, anything else names another format.</summary>
    private static bool IsJsonQueryContentType(IQueryCollection query) =>
        !query.TryGetValue("contenttype", out var values)
        || (values.Count == 1 && string.Equals(values[0], "json", StringComparison.OrdinalIgnoreCase));

    private void RecordMetrics(string? command, Outcome outcome)
    {
        // Only commands we know become a tag: anything else is "other", so the query cannot mint series.
        var tag = command is not null && callbacks.IsKnown(command) ? command : "other";
        var code = (WebhookErrorCode?)outcome.Refusal?.Answer.ErrorCode;
        metrics.WebhookAnswered(tag, code?.ToString(), code == WebhookErrorCode.StorageFailure);
    }

    private Outcome TooLarge() =>
        Refuse(StatusCodes.Status413PayloadTooLarge, WebhookErrorCode.BodyTooLarge, $"The body is larger than {_maxBodyBytes} bytes.");

    private static Outcome Refuse(int status, WebhookErrorCode code, string info) =>
        new(status >= 500 ? Result.Failed : Result.Refused, new Refusal(status, TencentAnswer.Fail(code, info)), null);

    private enum Result
    {
        Stored,
        Duplicate,
        // Durable in this node's spool while the database could not take it; it reaches the log when the spool drains.
        Spooled,
        Refused,
        Failed,
        Abandoned,
    }

    private readonly record struct Refusal(int Status, TencentAnswer Answer);

    /// <param name="Decision">A recorded "before" callback's answer when it is more than the plain OK.</param>
    private readonly record struct Outcome(Result Result, Refusal? Refusal, TencentAnswer? Decision);

    // One line per request. Never the query string: with authentication on it carries Sign.
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook {CallbackCommand} for app {SdkAppId}: {Outcome}, HTTP {StatusCode}, ErrorCode {ErrorCode}, {ElapsedMs} ms")]
    private partial void LogRequest(string? callbackCommand, string? sdkAppId, Result outcome, int statusCode, int errorCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {CallbackCommand} for app {SdkAppId}")]
    private partial void LogStorageFailure(string callbackCommand, string sdkAppId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not process {CallbackCommand} for app {SdkAppId}")]
    private partial void LogUnexpectedFailure(string callbackCommand, string sdkAppId, Exception exception);
}
