using System.Text.Json;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.Unhandled;
using CleanChat.Domain.Events;

namespace CleanChat.Application.Tests;

/// <summary>The delivery key of a callback recorded raw: its body's hash, with the event time in front when it has one.</summary>
public sealed class UnhandledCallbackKeyTests
{
    private const string App = "1400000000";

    private static string KeyOf(string command, string payload) =>
        new UnhandledCallbackHandler(null!).Record(
            new CallbackEnvelope(App, command, "127.0.0.1", "RESTAPI", DateTimeOffset.UnixEpoch, payload),
            JsonSerializer.Deserialize<UnhandledCallback>(payload)!).Event.DeliveryKey;

    [Theory]
    [InlineData("""{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgKey":"1_2_3","EventTime":1765000000123}""")]
    [InlineData("""{"CallbackCommand":"Group.CallbackAfterSendMsg","MsgSeq":7,"EventTime":"1765000000123"}""")]
    public void A_body_with_an_event_time_is_keyed_by_the_time_then_its_hash(string payload)
    {
        var command = JsonDocument.Parse(payload).RootElement.GetProperty("CallbackCommand").GetString()!;

        Assert.Equal(DeliveryKeys.ForEventPayload(App, command, 1_765_000_000_123, payload), KeyOf(command, payload));
    }

    [Theory]
    [InlineData("""{"CallbackCommand":"State.StateChange","Info":{"To_Account":"jared","Action":"Login"}}""")]
    [InlineData("""{"CallbackCommand":"State.StateChange","EventTime":"soon"}""")]
    [InlineData("""{"CallbackCommand":"State.StateChange","EventTime":0}""")]
    public void A_body_without_a_usable_event_time_is_keyed_by_its_hash_alone(string payload) =>
        Assert.Equal(DeliveryKeys.ForPayload(App, "State.StateChange", payload), KeyOf("State.StateChange", payload));

    [Fact]
    public void Two_bodies_in_the_same_millisecond_that_differ_have_different_keys_and_a_redelivery_the_same()
    {
        const string first = """{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgKey":"1","EventTime":1765000000123}""";
        const string second = """{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgKey":"2","EventTime":1765000000123}""";

        Assert.NotEqual(KeyOf("C2C.CallbackAfterSendMsg", first), KeyOf("C2C.CallbackAfterSendMsg", second));
        Assert.Equal(KeyOf("C2C.CallbackAfterSendMsg", first), KeyOf("C2C.CallbackAfterSendMsg", first));
    }
}
