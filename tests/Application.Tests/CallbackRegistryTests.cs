using System.Text;
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
    [InlineData("""{"EventTime":"1670574414123"}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":1.5}""", "EventTime", "an integer")]
    [InlineData("""{"EventTime":99999999999999999999}""", "EventTime", "an integer")]
    [InlineData("""{"Official_Account":42}""", "Official_Account", "a string")]
    [InlineData("""{"Name":{"a":1}}""", "Name", "a string")]
    public void Names_the_field_with_a_wrong_type(string body, string field, string expected)
    {
        var refused = Refused(body);

        Assert.Equal(field, refused.Field);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
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
}
