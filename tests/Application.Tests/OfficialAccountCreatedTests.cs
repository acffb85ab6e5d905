using System.Text;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.OfficialAccountCreated;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Tests;

public sealed class OfficialAccountCreatedTests
{
    private const string SampleJson = """
        {"CallbackCommand":"OfficialAccount.CallbackAfterCreateOfficialAccount","Official_Account":"@TOA#_new","Operator_Account":"admin","Owner_Account":"107867","Name":"New account","EventTime":1670574400000}
        """;

    private static readonly OfficialAccountCreated Sample = new(
        CallbackCommands.AfterCreateOfficialAccount, "@TOA#_new", "admin", "107867", "New account", 1670574400000);

    private static Callback<OfficialAccountCreated> Delivery(OfficialAccountCreated body, string queryCommand = CallbackCommands.AfterCreateOfficialAccount) =>
        new(new CallbackEnvelope("1400000000", queryCommand, "127.0.0.1", "IOS", DateTimeOffset.UnixEpoch, SampleJson), body);

    private static string[] FailedFields(Callback<OfficialAccountCreated> delivery) =>
        new OfficialAccountCreatedValidator().Validate(delivery).Errors.Select(e => e.PropertyName).ToArray();

    [Fact]
    public void Binds_the_create_command_to_its_typed_body()
    {
        var registry = new CallbackRegistry().Map<OfficialAccountCreated>(CallbackCommands.AfterCreateOfficialAccount);

        var command = registry.Bind(Delivery(Sample).Envelope, Encoding.UTF8.GetBytes(SampleJson));

        Assert.Equal(Sample, Assert.IsType<Callback<OfficialAccountCreated>>(command).Body);
    }

    [Fact]
    public void Accepts_the_sample() => Assert.Empty(FailedFields(Delivery(Sample)));

    [Fact]
    public void Accepts_a_create_without_an_operator() =>
        Assert.Empty(FailedFields(Delivery(Sample with { OperatorAccount = null })));

    [Fact]
    public void Names_every_missing_required_field()
    {
        var empty = new OfficialAccountCreated(null, null, null, null, null, null);

        Assert.Equal(["Official_Account", "Owner_Account", "Name", "EventTime"], FailedFields(Delivery(empty)));
    }

    [Fact]
    public void Refuses_an_unbounded_operator() =>
        Assert.Equal(["Operator_Account"], FailedFields(Delivery(Sample with { OperatorAccount = new string('o', 300) })));

    [Fact]
    public async Task Makes_the_account_active_with_its_owner_and_name()
    {
        var store = new RecordingStore();

        await new OfficialAccountCreatedHandler(store).Handle(Delivery(Sample), CancellationToken.None);

        var (webhookEvent, change) = Assert.Single(store.Appends);
        var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(1670574400000);
        Assert.Equal(new AccountChange("1400000000", "@TOA#_new", eventTime)
        {
            State = OfficialAccountState.Active,
            OwnerAccount = "107867",
            Name = "New account",
        }, change);
        Assert.Equal(("@TOA#_new", "admin", "107867", "New account", eventTime),
            (webhookEvent.OfficialAccount, webhookEvent.OperatorAccount, webhookEvent.OwnerAccount, webhookEvent.Name, webhookEvent.EventTime));
        Assert.Equal(OptPlatform.Ios, webhookEvent.Platform);
        Assert.Equal(SampleJson, webhookEvent.PayloadJson);
    }

    [Fact]
    public async Task Keys_a_redelivery_as_the_same_event()
    {
        var store = new RecordingStore();
        var handler = new OfficialAccountCreatedHandler(store);

        await handler.Handle(Delivery(Sample), CancellationToken.None);
        await handler.Handle(Delivery(Sample with { Name = "renamed in a retry" }), CancellationToken.None);

        Assert.Equal(store.Appends[0].Event.DeliveryKey, store.Appends[1].Event.DeliveryKey);
    }

    private sealed class RecordingStore : IWebhookEventStore
    {
        public List<(WebhookEvent Event, StateChange? Change)> Appends { get; } = [];

        public Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, StateChange? change, CancellationToken cancellationToken)
        {
            Appends.Add((webhookEvent, change));
            return Task.FromResult(new AppendResult(Appends.Count, Duplicate: false));
        }
    }
}
