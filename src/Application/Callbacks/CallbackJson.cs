using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// How every callback body is read, in one place: the typed bodies through <see cref="BodyOptions"/>, and the
/// fields picked out of a body we do not model through <see cref="IntegerOrNull"/> and <see cref="TextOrNull"/>.
/// </summary>
/// <remarks>
/// Tencent's pages print the same field in more than one form: 19 group callbacks show
/// <c>"EventTime": "1670574414123"</c> although their tables say Integer, and IDs such as <c>SdkAppId</c> appear as
/// numbers. A refused "after" callback is lost for good, so both forms are taken wherever either is expected:
/// a JSON string holding only a decimal integer reads as that integer, and an integer JSON number read where text is
/// expected reads as its decimal text. Anything else of the wrong type is still refused, with the field named.
/// A body type only declares <c>long?</c>, <c>int?</c> or <c>string?</c>; the rule follows from these options.
/// </remarks>
public static class CallbackJson
{
    /// <summary>Longest text read as an integer: 20 digits and a sign, with room for leading zeros.</summary>
    private const int MaxIntegerLength = 64;

    public static JsonSerializerOptions BodyOptions { get; } = new()
    {
        // Tencent never repeats a key; a body that does is not Tencent's.
        AllowDuplicateProperties = false,
        // Tencent's own documentation prints its sample with // comments; accepting them refuses nothing genuine.
        ReadCommentHandling = JsonCommentHandling.Skip,
        // The converters below decide what an integer is; nothing else is read from a string.
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        MaxDepth = 64,
        // Nullable<T> of each of these uses the same converter.
        Converters =
        {
            new IntegerConverter<long>(),
            new IntegerConverter<int>(),
            new IntegerConverter<short>(),
            new IntegerConverter<sbyte>(),
            new IntegerConverter<ulong>(),
            new IntegerConverter<uint>(),
            new IntegerConverter<ushort>(),
            new IntegerConverter<byte>(),
            new TextConverter(),
        },
    };

    /// <summary>True for the integer types the converters read, so a refusal can say "must be an integer".</summary>
    public static bool IsInteger(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte);

    /// <summary>
    /// The integer a field holds, as a JSON number or a string of decimal digits; null for anything else,
    /// which a body we do not model never refuses.
    /// </summary>
    public static long? IntegerOrNull(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var number) => number,
        { ValueKind: JsonValueKind.String } e when StringOrNull(e) is { } text && TryParseDecimal(text, out var number) => number,
        _ => null,
    };

    /// <summary>
    /// The text a field holds, or an integer JSON number's decimal text; null for anything else, which a body we
    /// do not model never refuses.
    /// </summary>
    public static string? TextOrNull(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => StringOrNull(e),
        { ValueKind: JsonValueKind.Number } e when e.GetRawText() is var raw && IsDecimalInteger(raw) => raw,
        _ => null,
    };

    private static string? StringOrNull(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON but no .NET string; the raw body still keeps it.
            return null;
        }
    }

    private static bool TryParseDecimal(string text, out long value)
    {
        value = 0;
        return IsDecimalInteger(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>An optional minus and one or more ASCII digits: no plus, space, point or exponent.</summary>
    private static bool IsDecimalInteger(ReadOnlySpan<char> text)
    {
        var digits = text is ['-', .. var rest] ? rest : text;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <inheritdoc cref="IsDecimalInteger(ReadOnlySpan{char})"/>
    private static bool IsDecimalInteger(ReadOnlySpan<byte> utf8)
    {
        var digits = utf8 is [(byte)'-', .. var rest] ? rest : utf8;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary>A number token's bytes as written; a number is never escaped.</summary>
    private static ReadOnlySpan<byte> Raw(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;

    /// <summary>
    /// Reads an integer from a JSON number or a string of decimal digits. A failure throws a bare
    /// <see cref="JsonException"/>: the serializer adds the path, and <see cref="CallbackRegistry"/> names the field.
    /// </summary>
    private sealed class IntegerConverter<T> : JsonConverter<T>
        where T : struct, IBinaryInteger<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.String) || length > MaxIntegerLength)
            {
                throw new JsonException();
            }

            Span<byte> buffer = stackalloc byte[MaxIntegerLength];
            // CopyString unescapes ("\u0031" is "1"); a number is never escaped.
            var text = reader.TokenType == JsonTokenType.String ? buffer[..reader.CopyString(buffer)] : Raw(ref reader);
            return IsDecimalInteger(text) && T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new JsonException();
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            Span<byte> buffer = stackalloc byte[MaxIntegerLength];
            value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
            writer.WriteRawValue(buffer[..written], skipInputValidation: true);
        }
    }

    /// <summary>Reads a JSON string, or an integer JSON number as its decimal text (IDs such as <c>SdkAppId</c>).</summary>
    private sealed class TextConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number when Raw(ref reader) is var raw && IsDecimalInteger(raw) => Encoding.UTF8.GetString(raw),
                _ => throw new JsonException(),
            };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }
}
