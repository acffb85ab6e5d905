using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.OfficialAccountDestroyed;
using CleanChat.Domain.Callbacks;

namespace CleanChat.Application.Tests;

public sealed class OfficialAccountDestroyedValidatorTests
{
    private static readonly OfficialAccountDestroyed Sample = new(
        CallbackCommands.AfterOfficialAccountDestroyed, "@TOA#_test_OA_for_penn", "107867", "TestOfficialAccount", 1670574414123);

    private static Callback<OfficialAccountDestroyed> Delivery(OfficialAccountDestroyed body, string queryCommand = CallbackCommands.AfterOfficialAccountDestroyed) =>
        new(new CallbackEnvelope("1400000000", queryCommand, null, null, DateTimeOffset.UnixEpoch, "{}"), body);

    private static string[] FailedFields(Callback<OfficialAccountDestroyed> delivery) =>
        new OfficialAccountDestroyedValidator().Validate(delivery).Errors.Select(e => e.PropertyName).ToArray();

    [Fact]
    public void Accepts_the_sample() => Assert.Empty(FailedFields(Delivery(Sample)));

    [Fact]
    public void Names_every_missing_field()
    {
        var empty = new OfficialAccountDestroyed(null, null, null, null, null);

        Assert.Equal(
            ["Official_Account", "Owner_Account", "Name", "EventTime"],
            FailedFields(Delivery(empty)));
    }

    [Fact]
    public void Accepts_a_body_without_a_command_under_the_querys() =>
        Assert.Empty(FailedFields(Delivery(Sample with { CallbackCommand = null })));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(CallbackValidator<OfficialAccountDestroyed>.MaxEventTimeMs + 1)]
    public void Refuses_an_event_time_that_is_not_a_positive_unix_millisecond(long eventTime) =>
        Assert.Equal(["EventTime"], FailedFields(Delivery(Sample with { EventTime = eventTime })));

    [Fact]
    public void Refuses_a_body_command_that_differs_from_the_query() =>
        Assert.Equal(["CallbackCommand"], FailedFields(Delivery(Sample, queryCommand: CallbackCommands.AfterCreateOfficialAccount)));

    [Fact]
    public void Refuses_an_empty_body_command() =>
        Assert.Equal(["CallbackCommand"], FailedFields(Delivery(Sample with { CallbackCommand = "" })));

    [Theory]
    [InlineData("")]
    [InlineData("@TOA#_with\u0000nul")]
    [InlineData("@TOA#_with\nnewline")]
    public void Refuses_an_official_account_tencent_cannot_have_sent(string officialAccount) =>
        Assert.Equal(["Official_Account"], FailedFields(Delivery(Sample with { OfficialAccount = officialAccount })));

    [Fact]
    public void Refuses_an_unbounded_official_account() =>
        Assert.Equal(["Official_Account"], FailedFields(Delivery(Sample with { OfficialAccount = "@TOA#_" + new string('a', 200) })));

    [Theory]
    [InlineData("")]
    [InlineData("名前 with unicode")]
    [InlineData("'; DROP TABLE webhook_events; --")]
    public void Keeps_any_name_tencent_could_send(string name) =>
        Assert.Empty(FailedFields(Delivery(Sample with { Name = name })));

    [Fact]
    public void Accepts_an_account_without_the_documented_prefix()
    {
        // Refusing would lose a genuine event if Tencent ever changes the prefix; the ID is kept verbatim.
        Assert.Empty(FailedFields(Delivery(Sample with { OfficialAccount = "custom_id" })));
    }
}
