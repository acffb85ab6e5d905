using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CleanChat.Application.Callbacks.Unhandled;
using MediatR;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// Maps each <c>CallbackCommand</c> to the typed body it carries, and turns a delivery into the MediatR
/// command for it. A command with no mapping becomes a <see cref="Callback{UnhandledCallback}"/>.
/// </summary>
public sealed class CallbackRegistry
{
    private delegate IRequest<CallbackResult> Binder(CallbackEnvelope envelope, ReadOnlySpan<byte> body);

    private readonly Dictionary<string, Binder> _binders = new(StringComparer.Ordinal);

    public bool IsKnown(string callbackCommand) => _binders.ContainsKey(callbackCommand);

    public CallbackRegistry Map<TBody>(string callbackCommand)
        where TBody : class, ICallbackBody
    {
        _binders.Add(callbackCommand, (envelope, body) => new Callback<TBody>(envelope, Deserialize<TBody>(body)));
        return this;
    }

    /// <summary>Builds the command for <paramref name="envelope"/>; throws <see cref="CallbackBodyException"/>.</summary>
    public IRequest<CallbackResult> Bind(CallbackEnvelope envelope, ReadOnlySpan<byte> body) =>
        _binders.TryGetValue(envelope.CallbackCommand, out var bind)
            ? bind(envelope, body)
            : new Callback<UnhandledCallback>(envelope, Deserialize<UnhandledCallback>(body));

    private static TBody Deserialize<TBody>(ReadOnlySpan<byte> body)
        where TBody : class
    {
        try
        {
            return JsonSerializer.Deserialize<TBody>(body, CallbackJson.BodyOptions)
                ?? throw new CallbackBodyException("$", "The body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            // Only a refused body pays for a second look: a broken document is reported as such, and only a
            // sound one as a field whose type Tencent would not send.
            CheckIsJsonObject(body);
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "$";
            if (e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            {
                throw new CallbackBodyException(field, $"{field} appears more than once in the body.");
            }

            throw new CallbackBodyException(field, ExpectedType<TBody>(field) is { } expected
                ? $"{field} must be {expected}."
                : $"{field} has a value of the wrong type.");
        }
    }

    /// <summary>Throws the body-level problem, if the body is not one well-formed JSON object.</summary>
    private static void CheckIsJsonObject(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = CallbackJson.BodyOptions.MaxDepth,
        });
        try
        {
            if (!reader.Read())
            {
                throw new CallbackBodyException("$", "The body is empty; it must be a JSON object.");
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new CallbackBodyException("$", "The body must be a JSON object, not null.");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new CallbackBodyException("$", $"The body must be a JSON object, not {reader.TokenType}.");
            }

            reader.Skip();
            if (reader.Read())
            {
                throw new CallbackBodyException("$", "The body has more after its JSON object.");
            }
        }
        catch (JsonException e)
        {
            throw new CallbackBodyException("$", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}).");
        }
    }

    /// <summary>
    /// What the field at <paramref name="path"/> (<c>EventTime</c>, <c>SubscribeAccountList[3].Subscriber_Account</c>)
    /// must be, found by walking the body type's properties; null when that says nothing useful.
    /// </summary>
    private static string? ExpectedType<TBody>(string path)
    {
        Type? type = typeof(TBody);
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            var property = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == name);
            type = property is null ? null : Unwrap(property.PropertyType);
            for (var at = bracket; type is not null && at >= 0; at = segment.IndexOf('[', at + 1))
            {
                type = ElementType(type);
            }

            if (type is null)
            {
                return null;
            }
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when CallbackJson.IsInteger(type) => "an integer",
            _ when type == typeof(JsonElement) => null,
            _ when ElementType(type) is not null => "an array",
            _ when type.IsClass => "an object",
            _ => null,
        };
    }

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>The entry type of a list type, or null for anything else (a string is not a list here).</summary>
    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? Unwrap(type.GetElementType()!)
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            ? Unwrap(enumerable.GetGenericArguments()[0])
            : null;
}
