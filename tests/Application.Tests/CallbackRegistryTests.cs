using System.Text;
using System.Text.Json.Serialization;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.OfficialAccountDestroyed;
using CleanChat.Application.Callbacks.Unhandled;
using CleanChat.Domain.Callbacks;

namespace CleanChat.Application.Tests;

public sealed class CallbackRegistryTests
{
    private const string Sample = """
        {"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed","Official_Account":"@TOA#_test_OA_for_penn","Owner_Account":"107867","Name":"TestOfficialAccount","EventTime":1670574414123}
        """;

    private readonly CallbackRegistry _registry = new CallbackRegistry().Map<OfficialAccountDestroyed>(CallbackCommands.AfterOfficialAccountDestroyed);

    private static CallbackEnvelope Envelope(string command = CallbackCommands.AfterOfficialAccountDestroyed) =>
        new("1400000000", command, "127.0.0.1", "RESTAPI", DateTimeOffset.UnixEpoch, "{}");

    private CallbackBodyException Refused(string body) =>
        Assert.Throws<CallbackBodyException>(() => _registry.Bind(Envelope(), Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Binds_the_sample_to_its_typed_command_with_every_field()
    {
        var command = _registry.Bind(Envelope(), Encoding.UTF8.GetBytes(Sample));

        var typed = Assert.IsType<Callback<OfficialAccountDestroyed>>(command);
        Assert.Equal(
            new OfficialAccountDestroyed(CallbackCommands.AfterOfficialAccountDestroyed, "@TOA#_test_OA_for_penn", "107867", "TestOfficialAccount", 1670574414123),
            typed.Body);
    }

    [Fact]
    public void Binds_an_unmapped_command_to_the_unhandled_callback()
    {
        var body = """{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":"@TOA#_x","EventTime":5}""";

        var command = _registry.Bind(Envelope(CallbackCommands.AfterSendMsg), Encoding.UTF8.GetBytes(body));

        var typed = Assert.IsType<Callback<UnhandledCallback>>(command);
        Assert.Equal("@TOA#_x", typed.Body.OfficialAccount?.GetString());
    }

    [Theory]
    [InlineData("""{"EventTime":"soon"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":""}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":"1.5"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":"1e3"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":"+5"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":" 5"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":"0x10"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":"99999999999999999999"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":1.5}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":1e3}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":true}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":99999999999999999999}""", "EventTime", "an integer")]
    [InlineData("""{"Official_Account":1.5}""", "Official_Account", "a string")]
    [InlineData("""{"Official_Account":true}""", "Official_Account", "a string")]
    [InlineData("""{"Official_Account":["@TOA#_x"]}""", "Official_Account", "a string")]
    [InlineData("""{"Name":{"a":1}}""", "Name", "a string")]
    public void Names_the_field_with_a_wrong_type(string body, string field, string expected)
    {
        var refused = Refused(body);

        Assert.Equal(field, refused.Field);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1670574414123\"", 1670574414123)]
    [InlineData("\"0001670574414123\"", 1670574414123)]
    [InlineData("\"\\u0031\\u0032\"", 12)]
    [InlineData("\"-5\"", -5)]
    [InlineData("1670574414123", 1670574414123)]
    public void Reads_an_integer_sent_as_a_number_or_as_a_string_of_digits(string json, long expected)
    {
        var body = Sample.Replace("1670574414123", json, StringComparison.Ordinal);

        var typed = Assert.IsType<Callback<OfficialAccountDestroyed>>(_registry.Bind(Envelope(), Encoding.UTF8.GetBytes(body)));

        Assert.Equal(expected, typed.Body.EventTime);
    }

    [Theory]
    [InlineData("107867", "107867")]
    [InlineData("-1", "-1")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    public void Reads_an_id_sent_as_an_integer_as_its_decimal_text(string json, string expected)
    {
        var body = Sample.Replace("\"107867\"", json, StringComparison.Ordinal);

        var typed = Assert.IsType<Callback<OfficialAccountDestroyed>>(_registry.Bind(Envelope(), Encoding.UTF8.GetBytes(body)));

        Assert.Equal(expected, typed.Body.OwnerAccount);
    }

    [Fact]
    public void Reads_every_integer_and_text_field_of_any_typed_body_in_either_form()
    {
        var registry = new CallbackRegistry().Map<FutureCallback>("Test.Future");
        var body = """{"Official_Account":107867,"MsgTime":"1490686222","MsgSeq":"123","Random":"123456","OnlineOnlyFlag":"1","EventTime":"1670574414123"}""";

        var typed = Assert.IsType<Callback<FutureCallback>>(registry.Bind(Envelope("Test.Future"), Encoding.UTF8.GetBytes(body)));

        Assert.Equal(new FutureCallback(null, "107867", 1490686222, 123, 123456, 1, 1670574414123), typed.Body);
    }

    [Theory]
    [InlineData("""{"OnlineOnlyFlag":"yes"}""", "OnlineOnlyFlag")]
    [InlineData("""{"OnlineOnlyFlag":"4294967296"}""", "OnlineOnlyFlag")]
    [InlineData("""{"Random":"-1"}""", "Random")]
    [InlineData("""{"MsgSeq":null}""", "MsgSeq")]
    public void Refuses_text_that_is_not_an_integer_of_the_fields_type_in_any_typed_body(string body, string field)
    {
        var registry = new CallbackRegistry().Map<FutureCallback>("Test.Future");

        var refused = Assert.Throws<CallbackBodyException>(() => registry.Bind(Envelope("Test.Future"), Encoding.UTF8.GetBytes(body)));

        Assert.Equal(field, refused.Field);
        Assert.Equal($"{field} must be an integer.", refused.Message);
    }

    [Fact]
    public void Binds_a_body_without_a_callback_command()
    {
        var body = """{"Official_Account":"@TOA#_x","Owner_Account":"o","Name":"n","EventTime":5}""";

        var typed = Assert.IsType<Callback<OfficialAccountDestroyed>>(_registry.Bind(Envelope(), Encoding.UTF8.GetBytes(body)));

        Assert.Null(typed.Body.CallbackCommand);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"Name\":")]
    [InlineData("{'Name':'x'}")]
    public void Refuses_a_body_that_is_not_a_json_object(string body) =>
        Assert.Equal("$", Refused(body).Field);

    [Fact]
    public void Refuses_null_as_a_body() =>
        Assert.Contains("null", Refused("null").Message, StringComparison.Ordinal);

    [Fact]
    public void Refuses_a_repeated_property()
    {
        var refused = Refused("""{"Name":"a","Name":"b"}""");

        Assert.Contains("more than once", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_the_documented_sample_with_its_comments()
    {
        var body = """
            {
            "CallbackCommand": "OfficialAccount.CallbackAfterOfficialAccountDestroyed", // Callback command
            "EventTime": 1670574414123// Event trigger timestamp in milliseconds
            }
            """;

        var typed = Assert.IsType<Callback<OfficialAccountDestroyed>>(_registry.Bind(Envelope(), Encoding.UTF8.GetBytes(body)));

        Assert.Equal(1670574414123, typed.Body.EventTime);
    }

    /// <summary>A body as a future typed callback declares it, with the integer types Tencent's tables use.</summary>
    public sealed record FutureCallback(
        [property: JsonPropertyName("CallbackCommand")] string? CallbackCommand,
        [property: JsonPropertyName("Official_Account")] string? OfficialAccount,
        [property: JsonPropertyName("MsgTime")] long? MsgTime,
        [property: JsonPropertyName("MsgSeq")] long MsgSeq,
        [property: JsonPropertyName("Random")] uint? Random,
        [property: JsonPropertyName("OnlineOnlyFlag")] int? OnlineOnlyFlag,
        [property: JsonPropertyName("EventTime")] long? EventTime) : ICallbackBody;
}
