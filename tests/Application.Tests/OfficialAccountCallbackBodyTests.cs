using System.Text;
using CleanChat.Application.Callbacks;
using CleanChat.Application.Callbacks.MessageSent;
using CleanChat.Application.Callbacks.MessagesWithdrawn;
using CleanChat.Application.Callbacks.OfficialAccountInfoChanged;
using CleanChat.Application.Callbacks.SubscribersAdded;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Callbacks;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;
using Microsoft.Extensions.DependencyInjection;

namespace CleanChat.Application.Tests;

/// <summary>The official-account bodies with lists and messages: how they are read, refused, keyed and turned into state.</summary>
public sealed class OfficialAccountCallbackBodyTests
{
    // The registry AddCallbacks() registers, so every command is mapped as the webhook host maps it.
    private static readonly CallbackRegistry Registry = (CallbackRegistry)new ServiceCollection().AddCallbacks()
        .Single(d => d.ServiceType == typeof(CallbackRegistry)).ImplementationInstance!;

    private static CallbackEnvelope Envelope(string command, string payload = "{}") =>
        new("1400000000", command, "127.0.0.1", "RESTAPI", DateTimeOffset.UnixEpoch, payload);

    private static Callback<TBody> Bind<TBody>(string command, string body)
        where TBody : ICallbackBody =>
        Assert.IsType<Callback<TBody>>(Registry.Bind(Envelope(command, body), Encoding.UTF8.GetBytes(body)));

    private static string[] Refusals<TBody>(CallbackValidator<TBody> validator, string command, string body)
        where TBody : ICallbackBody =>
        [.. validator.Validate(Bind<TBody>(command, body)).Errors.Select(e => e.ErrorMessage)];

    private static string Subscribers(string list) =>
        $$"""{"Official_Account":"@TOA#_a","SubscribeAccountList":{{list}},"EventTime":5}""";

    [Theory]
    [InlineData("\"jared\"", "SubscribeAccountList", "SubscribeAccountList must be an array.")]
    [InlineData("""["jared"]""", "SubscribeAccountList[0]", "SubscribeAccountList[0] must be an object.")]
    [InlineData("""[{"Subscriber_Account":"a"},{"Subscriber_Account":[1]}]""", "SubscribeAccountList[1].Subscriber_Account", "SubscribeAccountList[1].Subscriber_Account must be a string.")]
    public void Names_the_entry_of_a_list_that_has_a_wrong_type(string list, string field, string message)
    {
        var refused = Assert.Throws<CallbackBodyException>(() =>
            Registry.Bind(Envelope(CallbackCommands.AfterAddSubscriber), Encoding.UTF8.GetBytes(Subscribers(list))));

        Assert.Equal((field, message), (refused.Field, refused.Message));
    }

    [Fact]
    public void Names_a_withdrawn_message_key_of_a_wrong_type()
    {
        var body = """{"Official_Account":"@TOA#_a","WithdrawMsgList":[{"MsgKey":{}}],"EventTime":5}""";

        var refused = Assert.Throws<CallbackBodyException>(() =>
            Registry.Bind(Envelope(CallbackCommands.AfterMsgWithDraw), Encoding.UTF8.GetBytes(body)));

        Assert.Equal("WithdrawMsgList[0].MsgKey must be a string.", refused.Message);
    }

    [Theory]
    [InlineData("null", "SubscribeAccountList is required.")]
    [InlineData("""[{"Subscriber_Account":"a"},null,null]""", "SubscribeAccountList[1] must be an object.")]
    [InlineData("""[{"Subscriber_Account":""},{}]""", "SubscribeAccountList[0].Subscriber_Account is required.")]
    public void Refuses_a_subscriber_list_with_one_message_for_its_first_bad_entry(string list, string message) =>
        Assert.Equal([message], Refusals(new SubscribersAddedValidator(), CallbackCommands.AfterAddSubscriber, Subscribers(list)));

    [Fact]
    public void Refuses_a_list_longer_than_any_tencent_sends_without_looking_at_its_entries()
    {
        var list = "[" + string.Join(",", Enumerable.Repeat("null", CallbackValidator<SubscribersAdded>.MaxListLength + 1)) + "]";

        Assert.Equal(["SubscribeAccountList must have at most 1000 entries, not 1001."],
            Refusals(new SubscribersAddedValidator(), CallbackCommands.AfterAddSubscriber, Subscribers(list)));
    }

    [Theory]
    [InlineData("""{"MsgType":"TIMTextElem"}""", "MsgBody must be an array of message elements.")]
    [InlineData("""[{"MsgType":"TIMTextElem"},"text"]""", "MsgBody[1] must be an object.")]
    [InlineData("""[{"MsgContent":{}}]""", "MsgBody[0].MsgType is required.")]
    [InlineData("""[{"MsgType":null}]""", "MsgBody[0].MsgType must be a string.")]
    [InlineData("""[{"MsgType":"TIMTextElem","MsgContent":[]}]""", "MsgBody[0].MsgContent must be an object.")]
    public void Refuses_a_message_body_that_is_not_a_list_of_elements(string msgBody, string message)
    {
        var body = $$"""{"Official_Account":"@TOA#_a","MsgKey":"k","MsgTime":1,"MsgBody":{{msgBody}},"EventTime":5}""";

        Assert.Equal([message], Refusals(new MessageSentValidator(), CallbackCommands.AfterSendMsg, body));
    }

    [Fact]
    public void Names_every_field_a_sent_message_cannot_do_without()
    {
        Assert.Equal(["Official_Account is required.", "MsgKey is required.", "MsgTime is required.", "EventTime is required."],
            Refusals(new MessageSentValidator(), CallbackCommands.AfterSendMsg, "{}"));
    }

    [Fact]
    public void Keys_two_subscriber_events_of_one_account_in_one_millisecond_apart_and_a_redelivery_alike()
    {
        var jared = Subscribers("""[{"Subscriber_Account":"jared"}]""");
        var leckie = Subscribers("""[{"Subscriber_Account":"leckie"}]""");

        var keys = new[] { jared, leckie, jared }.Select(body => new SubscribersAddedHandler(new NoStore())
            .Record(Envelope(CallbackCommands.AfterAddSubscriber, body), Bind<SubscribersAdded>(CallbackCommands.AfterAddSubscriber, body).Body)
            .Event.DeliveryKey).ToArray();

        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal(keys[0], keys[2]);
        Assert.Equal(DeliveryKeys.ForEventPayload("1400000000", CallbackCommands.AfterAddSubscriber, 5, jared), keys[0]);
        Assert.StartsWith("000000000000005|", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_subscriber_event_changes_each_listed_user_once()
    {
        var body = Subscribers("""[{"Subscriber_Account":"jared"},{"Subscriber_Account":107867},{"Subscriber_Account":"jared"}]""");

        var change = new SubscribersAddedHandler(new NoStore())
            .Record(Envelope(CallbackCommands.AfterAddSubscriber, body), Bind<SubscribersAdded>(CallbackCommands.AfterAddSubscriber, body).Body).Change;

        var subscribers = Assert.IsType<SubscriberChange>(change);
        Assert.Equal(["jared", "107867"], subscribers.SubscriberAccounts);
        Assert.True(subscribers.Subscribed);
    }

    [Theory]
    [InlineData("1490686222", 1_490_686_222_000, 1, true)]
    [InlineData("\"1490686222\"", 1_490_686_222_000, 0, false)]
    [InlineData("1490686222123", 1_490_686_222_123, 2, false)]
    public void A_sent_message_keeps_its_time_in_milliseconds_its_flag_and_its_body_as_sent(string msgTime, long ms, int flag, bool onlineOnly)
    {
        var body = $$"""{"Official_Account":"@TOA#_a","MsgKey":"71_1_1698741698","MsgTime":{{msgTime}},"OnlineOnlyFlag":{{flag}},"MsgBody":[ {"MsgType":"TIMTextElem"} ],"EventTime":5}""";

        var change = new MessageSentHandler(new NoStore())
            .Record(Envelope(CallbackCommands.AfterSendMsg, body), Bind<MessageSent>(CallbackCommands.AfterSendMsg, body).Body).Change;

        var message = Assert.IsType<MessageChange>(change);
        Assert.Equal((ms, onlineOnly, """[ {"MsgType":"TIMTextElem"} ]""", (string?)null),
            (message.MsgTime.ToUnixTimeMilliseconds(), message.OnlineOnly, message.MsgBodyJson, message.CloudCustomData));
    }

    [Fact]
    public void A_profile_change_leaves_the_fields_it_does_not_carry_alone()
    {
        var body = """{"Official_Account":"@TOA#_a","Introduction":"","EventTime":5}""";

        var change = new OfficialAccountInfoChangedHandler(new NoStore())
            .Record(Envelope(CallbackCommands.AfterOfficialAccountInfoChanged, body),
                Bind<OfficialAccountInfoChanged>(CallbackCommands.AfterOfficialAccountInfoChanged, body).Body).Change;

        Assert.Equal(new AccountChange("1400000000", "@TOA#_a", DateTimeOffset.FromUnixTimeMilliseconds(5)) { Introduction = "" }, change);
    }

    [Fact]
    public void A_withdraw_names_each_message_once()
    {
        var body = """{"Official_Account":"@TOA#_a","WithdrawMsgList":[{"MsgKey":"k1"},{"MsgKey":"k1"},{"MsgKey":"k2"}],"EventTime":5}""";

        var change = new MessagesWithdrawnHandler(new NoStore())
            .Record(Envelope(CallbackCommands.AfterMsgWithDraw, body), Bind<MessagesWithdrawn>(CallbackCommands.AfterMsgWithDraw, body).Body).Change;

        Assert.Equal(["k1", "k2"], Assert.IsType<WithdrawalChange>(change).MsgKeys);
    }

    [Fact]
    public void Maps_every_official_account_command_to_a_typed_body()
    {
        string[] commands =
        [
            CallbackCommands.BeforeCreateOfficialAccount, CallbackCommands.AfterCreateOfficialAccount,
            CallbackCommands.AfterOfficialAccountInfoChanged, CallbackCommands.AfterOfficialAccountDestroyed,
            CallbackCommands.BeforeAddSubscriber, CallbackCommands.AfterAddSubscriber, CallbackCommands.AfterOfficialAccountFull,
            CallbackCommands.AfterDeleteSubscriber, CallbackCommands.BeforeSendMsg, CallbackCommands.AfterSendMsg,
            CallbackCommands.AfterMsgWithDraw,
        ];

        Assert.All(commands, c => Assert.True(Registry.IsKnown(c), c));
    }

    /// <summary>Record never appends; the handlers only need a store to be built.</summary>
    private sealed class NoStore : IWebhookEventStore
    {
        public Task<AppendResult> AppendAsync(WebhookEvent webhookEvent, StateChange? change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Record must not append.");
    }
}
