using CleanChat.Contracts.V1;
using CleanChat.Domain.Callbacks;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CleanChat.GrpcApi.Tests;

/// <summary>
/// Each official-account callback with Tencent's own sample body (from the documented corpus), through the webhook
/// host, read back through the gRPC host: answered ErrorCode 0, stored, and the state it describes.
/// </summary>
public abstract class OfficialAccountSampleTests(string engine) : IDisposable
{
    private const string Ok = """{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}""";
    private const string PennAccount = "@TOA#_test_OA_for_penn";
    private const string PennSubscribers = "@TOA#_test_for_penn";
    private const string MessageAccount = "@TOA#_2J4SZEAEL";
    private static readonly Timestamp SampleTime = DateTimeOffset.FromUnixTimeMilliseconds(1670574414123).ToTimestamp();

    private readonly HostsFixture _hosts = new(engine: engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<WebhookEvent> PostSampleAsync(string command)
    {
        var sample = TencentCorpus.Samples.Single(s => s.Command == command);

        Assert.Equal(Ok, await _hosts.PostCallbackAsync(command, sample.Body));

        var stored = await _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest { CallbackCommand = command });
        var e = Assert.Single(stored.Events);
        Assert.Equal(sample.Body, e.PayloadJson);
        return e;
    }

    private Task<OfficialAccount> AccountAsync(string account) =>
        _hosts.Accounts.GetOfficialAccountAsync(new GetOfficialAccountRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = account }).ResponseAsync;

    private async Task<List<OfficialAccountSubscriber>> SubscribersAsync(string account) =>
        [.. (await _hosts.Accounts.ListOfficialAccountSubscribersAsync(
            new ListOfficialAccountSubscribersRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = account })).Subscribers];

    private async Task<List<OfficialAccountMessage>> MessagesAsync(string account) =>
        [.. (await _hosts.Accounts.ListOfficialAccountMessagesAsync(
            new ListOfficialAccountMessagesRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = account })).Messages];

    private async Task AssertNoAccountsAsync() =>
        Assert.Empty((await _hosts.Accounts.ListOfficialAccountsAsync(new ListOfficialAccountsRequest())).OfficialAccounts);

    [SkippableFact]
    public async Task Before_create_is_recorded_with_its_owner_and_name_and_allowed()
    {
        var stored = await PostSampleAsync(CallbackCommands.BeforeCreateOfficialAccount);

        Assert.Equal(("107867", "107867", "TestOfficialAccount", ""), (stored.OwnerAccount, stored.OperatorAccount, stored.Name, stored.OfficialAccount));
        await AssertNoAccountsAsync();
    }

    [SkippableFact]
    public async Task After_create_makes_the_account_active_with_its_owner_name_and_create_time()
    {
        var stored = await PostSampleAsync(CallbackCommands.AfterCreateOfficialAccount);

        Assert.Equal(new OfficialAccount
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount_ = PennAccount,
            State = OfficialAccount.Types.State.Active,
            OwnerAccount = "107867",
            Name = "TestOfficialAccount",
            CreateTime = SampleTime,
            LastEventTime = SampleTime,
            LastEventSequence = stored.Sequence,
        }, await AccountAsync(PennAccount));
    }

    [SkippableFact]
    public async Task Info_changed_sets_name_introduction_face_url_and_organization()
    {
        var stored = await PostSampleAsync(CallbackCommands.AfterOfficialAccountInfoChanged);

        Assert.Equal(new OfficialAccount
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount_ = PennAccount,
            State = OfficialAccount.Types.State.Unspecified,
            Name = "NewName",
            Introduction = "NewNotification",
            FaceUrl = "http://this.is.newface.url",
            Organization = "NewOrganization",
            LastEventTime = SampleTime,
            LastEventSequence = stored.Sequence,
        }, await AccountAsync(PennAccount));
        Assert.Equal("leckie", stored.OperatorAccount);
    }

    [SkippableFact]
    public async Task Destroyed_marks_the_account_destroyed_with_its_destroy_time()
    {
        var stored = await PostSampleAsync(CallbackCommands.AfterOfficialAccountDestroyed);

        var account = await AccountAsync(PennAccount);
        Assert.Equal((OfficialAccount.Types.State.Destroyed, SampleTime, "107867", stored.Sequence),
            (account.State, account.DestroyTime, account.OwnerAccount, account.LastEventSequence));
    }

    [SkippableFact]
    public async Task Before_add_subscriber_is_recorded_and_allowed_but_adds_nobody()
    {
        var stored = await PostSampleAsync(CallbackCommands.BeforeAddSubscriber);

        Assert.Equal((PennSubscribers, "107867"), (stored.OfficialAccount, stored.OperatorAccount));
        Assert.Empty(await SubscribersAsync(PennSubscribers));
        await AssertNoAccountsAsync();
    }

    [SkippableFact]
    public async Task After_add_subscriber_adds_each_listed_user_with_the_event_time()
    {
        await PostSampleAsync(CallbackCommands.AfterAddSubscriber);

        Assert.Equal(
            [new() { SubscriberAccount = "jared", SubscribeTime = SampleTime }, new OfficialAccountSubscriber { SubscriberAccount = "leckie", SubscribeTime = SampleTime }],
            await SubscribersAsync(PennSubscribers));
        Assert.Equal(2, (await AccountAsync(PennSubscribers)).SubscriberCount);
    }

    [SkippableFact]
    public async Task Full_sets_the_full_time()
    {
        await PostSampleAsync(CallbackCommands.AfterOfficialAccountFull);

        Assert.Equal(SampleTime, (await AccountAsync(PennAccount)).FullTime);
    }

    [SkippableFact]
    public async Task After_delete_subscriber_leaves_the_listed_users_unsubscribed()
    {
        await PostSampleAsync(CallbackCommands.AfterDeleteSubscriber);

        Assert.Empty(await SubscribersAsync(PennAccount));
        Assert.Equal(0, (await AccountAsync(PennAccount)).SubscriberCount);
    }

    [SkippableFact]
    public async Task Before_send_is_recorded_and_allowed_but_stores_no_message()
    {
        var stored = await PostSampleAsync(CallbackCommands.BeforeSendMsg);

        Assert.Equal(MessageAccount, stored.OfficialAccount);
        Assert.Empty(await MessagesAsync(MessageAccount));
        await AssertNoAccountsAsync();
    }

    [SkippableFact]
    public async Task After_send_stores_the_message_with_its_time_flag_body_and_custom_data()
    {
        var stored = await PostSampleAsync(CallbackCommands.AfterSendMsg);

        var msgTime = DateTimeOffset.FromUnixTimeSeconds(1490686222).ToTimestamp();
        Assert.Equal(
            [new OfficialAccountMessage
            {
                MsgKey = "71_1_1698741698",
                MsgTime = msgTime,
                OnlineOnly = true,
                MsgBodyJson = """[{"MsgType": "TIMTextElem", "MsgContent": {"Text": "red packet"}}]""",
                CloudCustomData = "your cloud custom data",
            }],
            await MessagesAsync(MessageAccount));
        Assert.Equal((msgTime, stored.Sequence), ((await AccountAsync(MessageAccount)).LastMessageTime, stored.Sequence));
    }

    [SkippableFact]
    public async Task Withdraw_marks_its_message_withdrawn_even_before_the_send_arrives()
    {
        // Tencent's withdraw sample names #TOA#_123; its send sample, the same MsgKey for another account.
        var send = TencentCorpus.Samples.Single(s => s.Command == CallbackCommands.AfterSendMsg).Body.Replace(MessageAccount, "#TOA#_123", StringComparison.Ordinal);

        await PostSampleAsync(CallbackCommands.AfterMsgWithDraw);
        var beforeTheSend = await MessagesAsync("#TOA#_123");
        await _hosts.PostCallbackAsync(CallbackCommands.AfterSendMsg, send);

        Assert.Empty(beforeTheSend);
        var message = Assert.Single(await MessagesAsync("#TOA#_123"));
        Assert.Equal(("71_1_1698741698", true, SampleTime), (message.MsgKey, message.Withdrawn, message.WithdrawTime));
    }

    [SkippableFact]
    public async Task A_request_callback_names_no_account_the_state_knows()
    {
        await PostSampleAsync(CallbackCommands.BeforeSendMsg);

        var error = await Assert.ThrowsAsync<RpcException>(() => AccountAsync(MessageAccount));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}

public sealed class SqliteOfficialAccountSampleTests() : OfficialAccountSampleTests(TestDatabases.Sqlite);

public sealed class PostgresOfficialAccountSampleTests() : OfficialAccountSampleTests(TestDatabases.Postgres);
