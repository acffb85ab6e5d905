using System.Net;
using System.Text.Json;
using CleanChat.TestSupport;

namespace CleanChat.WebhookApi.Tests;

public sealed class WebhookEndpointTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();
    private readonly WebhookApiFactory _host;

    public WebhookEndpointTests() => _host = new WebhookApiFactory(_database);

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    private static async Task<JsonElement> AnswerOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Stores_the_seed_sample_and_answers_tencent_ok()
    {
        var response = await _host.PostAsync(TencentSample.Query, TencentSample.Body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, _database.CountEvents());
        Assert.Equal(TencentSample.Body, _database.Scalar<string>("SELECT payload_json FROM webhook_events"));
        Assert.Equal("@TOA#_test_OA_for_penn|107867|TestOfficialAccount|1670574414123|127.0.0.1|RESTAPI",
            _database.Scalar<string>("SELECT official_account || '|' || owner_account || '|' || name || '|' || event_time || '|' || client_ip || '|' || opt_platform FROM webhook_events"));
        Assert.Equal(2, _database.Scalar<long>("SELECT state FROM official_accounts WHERE official_account = '@TOA#_test_OA_for_penn'"));
    }

    [Fact]
    public async Task Accepts_the_sample_exactly_as_the_documentation_prints_it()
    {
        var response = await _host.PostAsync(TencentSample.Query, TencentSample.DocumentedBody);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _database.CountEvents());
    }

    [Theory]
    [InlineData("?CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed")]
    [InlineData("?SdkAppid=1400000001&CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed")]
    [InlineData("?SdkAppid=&CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed")]
    [InlineData("?SdkAppid=1400000000&SdkAppid=1400000001&CallbackCommand=OfficialAccount.CallbackAfterOfficialAccountDestroyed")]
    public async Task Refuses_another_app_with_403_and_stores_nothing(string query)
    {
        var response = await _host.PostAsync(query, TencentSample.Body);
        var answer = await AnswerOf(response);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FAIL", answer.GetProperty("ActionStatus").GetString());
        Assert.Equal(40300, answer.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(0, _database.CountEvents());
    }

    [Theory]
    [InlineData("{\"CallbackCommand\":")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    public async Task Answers_malformed_json_with_a_fail_not_a_500(string body)
    {
        var response = await _host.PostAsync(TencentSample.Query, body);
        var answer = await AnswerOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("FAIL", answer.GetProperty("ActionStatus").GetString());
        Assert.Equal(40000, answer.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(0, _database.CountEvents());
    }

    [Fact]
    public async Task Names_each_missing_field()
    {
        var response = await _host.PostAsync(TencentSample.Query, """{"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed"}""");
        var info = (await AnswerOf(response)).GetProperty("ErrorInfo").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Official_Account is required. Owner_Account is required. Name is required. EventTime is required.", info);
        Assert.Equal(0, _database.CountEvents());
    }

    [Fact]
    public async Task Refuses_a_body_command_that_differs_from_the_query()
    {
        var response = await _host.PostAsync(
            TencentSample.QueryFor("OfficialAccount.CallbackAfterCreateOfficialAccount"), TencentSample.Body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(40001, (await AnswerOf(response)).GetProperty("ErrorCode").GetInt32());
        Assert.Equal(0, _database.CountEvents());
    }

    [Fact]
    public async Task Stores_a_repeated_delivery_once_and_answers_ok_both_times()
    {
        var first = await _host.PostAsync(TencentSample.Query, TencentSample.Body);
        var again = await _host.PostAsync(TencentSample.Query, TencentSample.Body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, _database.CountEvents());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/octet-stream")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Accepts_a_json_object_body_whatever_content_type_says(string contentType)
    {
        var response = await _host.PostAsync(TencentSample.Query, TencentSample.Body, contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TencentSample.Body, _database.Scalar<string>("SELECT payload_json FROM webhook_events"));
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("text/plain; charset=utf-16")]
    public async Task Refuses_a_body_announced_in_another_charset_with_415(string contentType)
    {
        var response = await _host.PostAsync(TencentSample.Query, TencentSample.Body, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(41500, (await AnswerOf(response)).GetProperty("ErrorCode").GetInt32());
        Assert.Equal(0, _database.CountEvents());
    }

    [Fact]
    public async Task Stores_an_event_time_sent_as_a_string_of_digits_as_the_number()
    {
        var body = TencentSample.Body.Replace("1670574414123", "\"1670574414123\"", StringComparison.Ordinal);

        var response = await _host.PostAsync(TencentSample.Query, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1670574414123, _database.Scalar<long>("SELECT event_time FROM webhook_events WHERE typeof(event_time) = 'integer'"));
        Assert.Equal(body, _database.Scalar<string>("SELECT payload_json FROM webhook_events"));
    }

    [Fact]
    public async Task Refuses_an_event_time_string_that_is_not_an_integer_naming_the_field()
    {
        var body = TencentSample.Body.Replace("1670574414123", "\"1670574414123ms\"", StringComparison.Ordinal);

        var response = await _host.PostAsync(TencentSample.Query, body);
        var answer = await AnswerOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(40000, answer.GetProperty("ErrorCode").GetInt32());
        Assert.Equal("EventTime must be an integer.", answer.GetProperty("ErrorInfo").GetString());
        Assert.Equal(0, _database.CountEvents());
    }

    [Fact]
    public async Task Stores_an_owner_sent_as_a_number_as_its_decimal_text()
    {
        var body = TencentSample.Body.Replace("\"107867\"", "107867", StringComparison.Ordinal);

        var response = await _host.PostAsync(TencentSample.Query, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("107867", _database.Scalar<string>("SELECT owner_account FROM webhook_events"));
    }

    [Fact]
    public async Task Takes_a_body_without_a_callback_command_under_the_querys()
    {
        var body = TencentSample.Body.Replace($"\"CallbackCommand\":\"{TencentSample.Command}\",", "", StringComparison.Ordinal);

        var response = await _host.PostAsync(TencentSample.Query, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{TencentSample.Command}|{body}", _database.Scalar<string>("SELECT callback_command || '|' || payload_json FROM webhook_events"));
        Assert.Equal(2, _database.Scalar<long>("SELECT state FROM official_accounts"));
    }

    [Fact]
    public async Task Answers_a_get_with_405_in_tencent_form()
    {
        var response = await _host.CreateClient().GetAsync(new Uri("/webhook" + TencentSample.Query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(40500, (await AnswerOf(response)).GetProperty("ErrorCode").GetInt32());
    }

    [Fact]
    public async Task Records_a_command_it_has_no_handler_for_and_answers_ok()
    {
        const string command = "Group.CallbackAfterGroupInfoChanged";
        var body = $$"""{"CallbackCommand":"{{command}}","Official_Account":"@TOA#_full","EventTime":1670574414999}""";

        var response = await _host.PostAsync(TencentSample.QueryFor(command), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("@TOA#_full|1670574414999", _database.Scalar<string>(
            "SELECT official_account || '|' || event_time FROM webhook_events WHERE callback_command = @command", new { command }));
    }
}
