using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CleanChat.Application.Callbacks.Unhandled;
using CleanChat.Application.Common.Interfaces;
using MediatR;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// Maps each <c>CallbackCommand</c> to the typed body it carries, and turns a delivery into the MediatR
/// command for it. A command with no mapping becomes a <see cref="Callback{UnhandledCallback}"/>.
/// </summary>
public sealed class CallbackRegistry
{
    private delegate IRequest<AppendResult> Binder(CallbackEnvelope envelope, ReadOnlySpan<byte> body);

    private static readonly JsonSerializerOptions BodyOptions = new()
    {
        // Tencent never repeats a key; a body that does is not Tencent's.
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        MaxDepth = 64,
    };

    private readonly Dictionary<string, Binder> _binders = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> KnownCommands => _binders.Keys;

    public CallbackRegistry Map<TBody>(string callbackCommand)
        where TBody : class, ICallbackBody
    {
        _binders.Add(callbackCommand, (envelope, body) => new Callback<TBody>(envelope, Deserialize<TBody>(body)));
        return this;
    }

    /// <summary>Builds the command for <paramref name="envelope"/>; throws <see cref="CallbackBodyException"/>.</summary>
    public IRequest<AppendResult> Bind(CallbackEnvelope envelope, ReadOnlySpan<byte> body) =>
        _binders.TryGetValue(envelope.CallbackCommand, out var bind)
            ? bind(envelope, body)
            : new Callback<UnhandledCallback>(envelope, Deserialize<UnhandledCallback>(body));

    private static TBody Deserialize<TBody>(ReadOnlySpan<byte> body)
        where TBody : class
    {
        TBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<TBody>(body, BodyOptions);
        }
        catch (JsonException e)
        {
            throw Explain<TBody>(e);
        }

        return parsed ?? throw new CallbackBodyException("$", "The body must be a JSON object, not null.");
    }

    private static CallbackBodyException Explain<TBody>(JsonException e)
    {
        var path = e.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                ? new CallbackBodyException("$", "The body repeats a property.")
                : new CallbackBodyException("$", e.LineNumber is null && e.BytePositionInLine is null
                    ? "The body must be a JSON object."
                    : $"The body is not a valid JSON object (line {e.LineNumber + 1}, byte {e.BytePositionInLine}).");
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        if (e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return new CallbackBodyException(field, $"{field} appears more than once in the body.");
        }

        var expected = ExpectedType<TBody>(field);
        return expected is null
            ? new CallbackBodyException(field, $"{field} is not valid JSON.")
            : new CallbackBodyException(field, $"{field} must be {expected}.");
    }

    private static string? ExpectedType<TBody>(string field)
    {
        var property = typeof(TBody).GetProperties()
            .FirstOrDefault(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == field);
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            null => null,
            _ when type == typeof(string) => "a string",
            _ when type == typeof(long) || type == typeof(int) => "an integer",
            _ => null,
        };
    }
}
