using CleanChat.Domain.Events;

namespace CleanChat.Application.Tests;

public sealed class DeliveryKeysTests
{
    [Fact]
    public void Same_app_command_account_and_time_is_the_same_delivery()
    {
        var first = DeliveryKeys.ForAccountEvent("1400000000", "cmd", "@TOA#_a", 1670574414123);
        var again = DeliveryKeys.ForAccountEvent("1400000000", "cmd", "@TOA#_a", 1670574414123);

        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData("1400000001", "cmd", "@TOA#_a", 1670574414123)]
    [InlineData("1400000000", "other", "@TOA#_a", 1670574414123)]
    [InlineData("1400000000", "cmd", "@TOA#_b", 1670574414123)]
    [InlineData("1400000000", "cmd", "@TOA#_a", 1670574414124)]
    public void Any_differing_part_is_a_different_delivery(string app, string command, string account, long time) =>
        Assert.NotEqual(
            DeliveryKeys.ForAccountEvent("1400000000", "cmd", "@TOA#_a", 1670574414123),
            DeliveryKeys.ForAccountEvent(app, command, account, time));

    [Fact]
    public void Separator_cannot_be_forged_by_moving_text_between_parts() =>
        Assert.NotEqual(
            DeliveryKeys.ForAccountEvent("1", "2\n3", "4", 5),
            DeliveryKeys.ForAccountEvent("1\n2", "3", "4", 5));

    [Fact]
    public void Account_keys_sort_by_event_time_whatever_the_account()
    {
        var earlier = DeliveryKeys.ForAccountEvent("1400000000", "cmd", "@TOA#_z", 999);
        var later = DeliveryKeys.ForAccountEvent("1400000000", "cmd", "@TOA#_a", 1670574414123);
        var latest = DeliveryKeys.ForAccountEvent("1", "a", "@TOA#_a", 1670574414124);

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(string.CompareOrdinal(later, latest) < 0);
    }

    [Fact]
    public void Payload_key_tells_bodies_apart_byte_for_byte()
    {
        var a = DeliveryKeys.ForPayload("1400000000", "cmd", """{"a":1}""");

        Assert.Equal(a, DeliveryKeys.ForPayload("1400000000", "cmd", """{"a":1}"""));
        Assert.NotEqual(a, DeliveryKeys.ForPayload("1400000000", "cmd", """{"a": 1}"""));
    }
}
