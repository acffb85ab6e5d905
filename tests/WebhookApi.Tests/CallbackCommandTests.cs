using System.Net;
using CleanChat.TestSupport;

namespace CleanChat.WebhookApi.Tests;

/// <summary>Every CallbackCommand through the real host: typed ones change account state, the rest are recorded.</summary>
public abstract class CallbackCommandTests : IDisposable
{
    private const string Create = "OfficialAccount.CallbackAfterCreateOfficialAccount";

    private readonly ITestDatabase _database;
    private readonly WebhookApiFactory _host;

    protected CallbackCommandTests(string engine)
    {
        _database = TestDatabases.Create(engine);
        _host = new WebhookApiFactory(_database);
    }

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string CreateBody(string account, long eventTime, string owner = "owner-1", string name = "Created") =>
        $$"""{"CallbackCommand":"{{Create}}","Official_Account":"{{account}}","Operator_Account":"admin","Owner_Account":"{{owner}}","Name":"{{name}}","EventTime":{{eventTime}}}""";

    private async Task PostOkAsync(string command, string body)
    {
        var response = await _host.PostAsync(TencentSample.QueryFor(command), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string Account(string id) => _database.Scalar<string>(
        "SELECT state || '|' || owner_account || '|' || name || '|' || last_event_time FROM official_accounts WHERE official_account = @id", new { id });

    [SkippableFact]
    public async Task Makes_a_created_account_active_with_its_owner_and_name()
    {
        await PostOkAsync(Create, CreateBody("@TOA#_new", 1000));

        Assert.Equal("1|owner-1|Created|1000", Account("@TOA#_new"));
        Assert.Equal("admin", _database.Scalar<string>("SELECT operator_account FROM webhook_events WHERE callback_command = @Create", new { Create }));
    }

    [SkippableFact]
    public async Task Moves_a_created_account_to_destroyed_when_it_is_destroyed_later()
    {
        await PostOkAsync(Create, CreateBody("@TOA#_life", 1000));
        await PostOkAsync(TencentSample.Command, TencentSample.DestroyedBody("@TOA#_life", 2000, owner: "owner-1", name: "Created"));

        Assert.Equal("2|owner-1|Created|2000", Account("@TOA#_life"));
    }

    [SkippableFact]
    public async Task Keeps_the_newer_state_when_an_older_create_arrives_late()
    {
        await PostOkAsync(TencentSample.Command, TencentSample.DestroyedBody("@TOA#_late", 2000, owner: "owner-1", name: "Created"));
        await PostOkAsync(Create, CreateBody("@TOA#_late", 1000, name: "Stale name"));

        Assert.Equal("2|owner-1|Created|2000", Account("@TOA#_late"));
        Assert.Equal(2, _database.CountEvents());
    }

    [SkippableFact]
    public async Task Keeps_the_newer_state_when_an_older_destroy_arrives_late()
    {
        await PostOkAsync(Create, CreateBody("@TOA#_recreated", 3000));
        await PostOkAsync(TencentSample.Command, TencentSample.DestroyedBody("@TOA#_recreated", 2000));

        Assert.Equal("1|owner-1|Created|3000", Account("@TOA#_recreated"));
    }

    [SkippableTheory]
    [InlineData("Group.CallbackAfterNewMemberJoin", """{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","Operator_Account":12,"EventTime":"soon"}""", null, null, "12", null)]
    [InlineData("Group.CallbackAfterGroupDestroyed", """{"CallbackCommand":"Group.CallbackAfterGroupDestroyed","Owner_Account":"leckie","EventTime":"1670574414123"}""", null, "leckie", null, 1670574414123L)]
    [InlineData("Group.CallbackAfterMemberExit", """{"CallbackCommand":"Group.CallbackAfterMemberExit","Operator_Account":1.5,"Owner_Account":[1],"EventTime":"+1670574414123"}""", null, null, null, null)]
    [InlineData("ContentCallback.ResultNotify", """{"Scene":"C2C","SdkAppId":1400187352,"From_Account":"jared","CtxcbResult":1}""", null, null, null, null)]
    [InlineData("Push.OfflinePush", """{"Events":[{"CallbackCommand":"Push.OfflinePush","EventTime":1557481127,"To_Account":"user2"}]}""", null, null, null, null)]
    public async Task Records_a_command_without_a_handler_with_the_common_fields_it_carries(
        string command, string body, string? officialAccount, string? owner, string? @operator, long? eventTime)
    {
        var response = await _host.PostAsync(TencentSample.QueryFor(command), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}""", await response.Content.ReadAsStringAsync());
        var row = _database.Scalar<string>(
            """
            SELECT coalesce(official_account, '-') || '|' || coalesce(owner_account, '-') || '|' || coalesce(operator_account, '-')
                   || '|' || coalesce(CAST(event_time AS TEXT), '-') || '|' || payload_json
            FROM webhook_events WHERE callback_command = @command
            """, new { command });
        Assert.Equal($"{officialAccount ?? "-"}|{owner ?? "-"}|{@operator ?? "-"}|{eventTime?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}|{body}", row);
        Assert.Equal(0, _database.Scalar<long>("SELECT COUNT(*) FROM official_accounts"));
    }

    [SkippableTheory]
    [InlineData("RESTAPI", "RESTAPI")]
    [InlineData("Web", "Web")]
    [InlineData("Android", "Android")]
    [InlineData("iOS", "iOS")]
    [InlineData("IOS", "iOS")]
    [InlineData("Windows", "Windows")]
    [InlineData("Mac", "Mac")]
    [InlineData("macOS", "Mac")]
    [InlineData("iPad", "iPad")]
    [InlineData("IPad", "iPad")]
    [InlineData("Unknown", "Unknown")]
    [InlineData("Unkown", "Unknown")]
    [InlineData("PlayStation 5", "Unknown")]
    public async Task Stores_opt_platform_normalised_and_verbatim(string sent, string normalised)
    {
        var response = await _host.PostAsync(TencentSample.QueryFor(TencentSample.Command, optPlatform: sent), TencentSample.Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{normalised}|{sent}", _database.Scalar<string>("SELECT opt_platform || '|' || opt_platform_raw FROM webhook_events"));
    }

    [SkippableTheory]
    [InlineData("'; DROP TABLE webhook_events; --")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("a\u0000b\u0007c\u001b")]
    [InlineData("名前 🙂 \u202e")]
    public async Task Stores_hostile_text_verbatim_in_the_body_and_in_columns_but_for_NUL(string name)
    {
        // A NUL cannot be held by PostgreSQL's text: in typed columns both engines store U+FFFD instead.
        var stored = name.Replace('\0', '\uFFFD');
        var body = TencentSample.DestroyedBody(TencentSample.OfficialAccount, TencentSample.EventTime, name: name);

        var response = await _host.PostAsync(TencentSample.Query, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stored, _database.Scalar<string>("SELECT name FROM webhook_events"));
        Assert.Equal(body, _database.Scalar<string>("SELECT payload_json FROM webhook_events"));
        Assert.Equal(stored, _database.Scalar<string>("SELECT name FROM official_accounts"));
    }

    [SkippableFact]
    public async Task Stores_a_NUL_in_a_subscriber_a_message_key_or_custom_data_as_U_FFFD_on_every_engine()
    {
        const string nul = "\\u0000";
        await PostOkAsync("OfficialAccount.CallbackAfterAddSubscriber",
            $$"""{"Official_Account":"@TOA#_nul","SubscribeAccountList":[{"Subscriber_Account":"ja{{nul}}red"}],"EventTime":1}""");
        await PostOkAsync("OfficialAccount.CallbackAfterSendMsg",
            $$"""{"Official_Account":"@TOA#_nul","MsgKey":"71{{nul}}1","MsgTime":1,"CloudCustomData":"c{{nul}}d","EventTime":2}""");
        await PostOkAsync("OfficialAccount.CallbackAfterMsgWithDraw",
            $$"""{"Official_Account":"@TOA#_nul","WithdrawMsgList":[{"MsgKey":"71{{nul}}1"}],"EventTime":3}""");

        Assert.Equal("ja\uFFFDred", _database.Scalar<string>("SELECT subscriber_account FROM official_account_subscribers"));
        Assert.Equal("71\uFFFD1|c\uFFFDd|1", _database.Scalar<string>(
            "SELECT msg_key || '|' || cloud_custom_data || '|' || withdrawn FROM official_account_messages"));
    }
}

public sealed class SqliteCallbackCommandTests() : CallbackCommandTests(TestDatabases.Sqlite);

public sealed class PostgresCallbackCommandTests() : CallbackCommandTests(TestDatabases.Postgres);
