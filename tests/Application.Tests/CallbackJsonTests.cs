using System.Text.Json;
using CleanChat.Application.Callbacks;

namespace CleanChat.Application.Tests;

/// <summary>The raw extraction used for commands without a typed body: it takes the same forms, and refuses nothing.</summary>
public sealed class CallbackJsonTests
{
    private static JsonElement Value(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [InlineData("1670574414123", 1670574414123L)]
    [InlineData("\"1670574414123\"", 1670574414123L)]
    [InlineData("\"\\u0031\\u0032\"", 12L)]
    [InlineData("\"-5\"", -5L)]
    [InlineData("\"soon\"", null)]
    [InlineData("\"\"", null)]
    [InlineData("\"+5\"", null)]
    [InlineData("\" 5\"", null)]
    [InlineData("\"1.5\"", null)]
    [InlineData("1.5", null)]
    [InlineData("1e3", null)]
    [InlineData("\"99999999999999999999\"", null)]
    [InlineData("99999999999999999999", null)]
    [InlineData("\"\\ud800\"", null)]
    [InlineData("true", null)]
    [InlineData("null", null)]
    [InlineData("[1]", null)]
    public void Reads_an_integer_from_a_number_or_a_string_of_digits_and_nothing_else(string json, long? expected) =>
        Assert.Equal(expected, CallbackJson.IntegerOrNull(Value(json)));

    [Theory]
    [InlineData("\"107867\"", "107867")]
    [InlineData("107867", "107867")]
    [InlineData("-1", "-1")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    [InlineData("\"\"", "")]
    [InlineData("1.5", null)]
    [InlineData("1e3", null)]
    [InlineData("\"\\ud800\"", null)]
    [InlineData("true", null)]
    [InlineData("{}", null)]
    public void Reads_text_from_a_string_or_an_integer_number_and_nothing_else(string json, string? expected) =>
        Assert.Equal(expected, CallbackJson.TextOrNull(Value(json)));

    [Fact]
    public void Reads_nothing_from_an_absent_field()
    {
        Assert.Null(CallbackJson.IntegerOrNull(null));
        Assert.Null(CallbackJson.TextOrNull(null));
    }
}
