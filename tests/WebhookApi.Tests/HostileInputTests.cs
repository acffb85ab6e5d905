using System.Net;
using System.Text;
using System.Text.Json;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Webhook;
using static CleanChat.WebhookApi.Tests.AuthenticatedHost;

namespace CleanChat.WebhookApi.Tests;

/// <summary>
/// Requests that could reach the endpoint from anyone on the internet, each with the exact answer it must get
/// and whether it may be stored. The host has authentication on, so every case but the auth ones is signed.
/// </summary>
public sealed class HostileInputTests(AuthenticatedHost host) : IClassFixture<AuthenticatedHost>
{
    private const string Q = TencentSample.Query;
    private const string Create = "OfficialAccount.CallbackAfterCreateOfficialAccount";
    private const string Unknown = "Group.CallbackAfterNewMemberJoin";
    private const string AddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber";
    private const string BeforeAddSubscriber = "OfficialAccount.CallbackBeforeAddSubscriber";
    private const string SendMsg = "OfficialAccount.CallbackAfterSendMsg";
    private const string Withdraw = "OfficialAccount.CallbackAfterMsgWithDraw";
    private const string InfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged";
    private const string BeforeCreate = "OfficialAccount.CallbackBeforeCreateOfficialAccount";
    private const int Ok = 0;
    private const int Malformed = (int)WebhookErrorCode.MalformedRequest;
    private const int Invalid = (int)WebhookErrorCode.InvalidField;
    private const int Unauthenticated = (int)WebhookErrorCode.Unauthenticated;
    private const int UnknownApp = (int)WebhookErrorCode.UnknownApp;
    private const int NotPost = (int)WebhookErrorCode.MethodNotAllowed;
    private const int TooLarge = (int)WebhookErrorCode.BodyTooLarge;
    private const int NotJson = (int)WebhookErrorCode.UnsupportedContentType;

    // Each stored case gets its own EventTime, so no case is a repeat of another whatever order they run in.
    private static long _eventTime = TencentSample.EventTime;

    private static long NextEventTime() => Interlocked.Increment(ref _eventTime);

    /// <summary>Bytes 0xFF 0xFE, which UTF-8 never produces, inside the Name string of an otherwise valid body.</summary>
    private static byte[] InvalidUtf8InName()
    {
        var parts = Body().Split("TestOfficialAccount");
        return [.. Encoding.UTF8.GetBytes(parts[0]), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(parts[1])];
    }

    /// <summary>A valid destroyed-account body, unique to the case, with <paramref name="replace"/> applied to its text.</summary>
    private static string Body(Func<string, string>? replace = null)
    {
        var body = TencentSample.DestroyedBody("@TOA#_hostile", NextEventTime());
        return replace is null ? body : replace(body);
    }

    /// <summary>The body with <paramref name="name"/> set to <paramref name="jsonValue"/>; its old value moves to an ignored field.</summary>
    private static string WithField(string name, string jsonValue) =>
        Body(b => b.Replace($"\"{name}\":", $"\"{name}\":{jsonValue},\"x_{name}\":", StringComparison.Ordinal));

    private static string Without(string name) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Body())!.Where(p => p.Key != name).ToDictionary());

    private static string UnknownBody(string extra = "") =>
        $$"""{"CallbackCommand":"{{Unknown}}","Official_Account":"@TOA#_hostile","EventTime":{{NextEventTime()}}{{extra}}}""";

    private static string CreateBody(string owner = "\"Owner_Account\":\"107867\",") =>
        $$"""{"CallbackCommand":"{{Create}}","Official_Account":"@TOA#_hostile","Operator_Account":"admin",{{owner}}"Name":"n","EventTime":{{NextEventTime()}}}""";

    /// <summary>A body for <paramref name="command"/> about the hostile account, unique to the case, with <paramref name="fields"/> (each followed by a comma).</summary>
    private static string Typed(string command, string fields) =>
        $$"""{"CallbackCommand":"{{command}}","Official_Account":"@TOA#_hostile",{{fields}}"EventTime":{{NextEventTime()}}}""";

    private static string Subscribers(string list, string command = AddSubscriber) =>
        Typed(command, $"\"Operator_Account\":\"op\",\"SubscribeAccountList\":{list},");

    private static string Entries(int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"Subscriber_Account":"u{{i}}"}""")) + "]";

    private static string Sent(string fields = "") =>
        Typed(SendMsg, "\"MsgKey\":\"71_1_1698741698\",\"MsgTime\":1490686222,\"OnlineOnlyFlag\":1," + fields);

    private static string Withdrawn(string list) => Typed(Withdraw, $"\"WithdrawMsgList\":{list},");

    private static HttpRequestMessage Post(string query, string body, string? contentType = "application/json") =>
        AuthenticatedHost.Post(query, Encoding.UTF8.GetBytes(body), contentType);

    private static HttpRequestMessage PostBytes(string query, byte[] body) => AuthenticatedHost.Post(query, body);

    private static HttpRequestMessage Send(HttpMethod method, string query, string? body = null) =>
        new(method, new Uri(WebhookEndpoint.Path + query, UriKind.Relative)) { Content = body is null ? null : new StringContent(body) };

    private static HttpRequestMessage Chunked(string query, byte[] body) =>
        new(HttpMethod.Post, new Uri(WebhookEndpoint.Path + query, UriKind.Relative)) { Content = new UnsizedContent(body) };

    private static string Signed(string query = Q) => WithSign(query);

    private static string SignedFor(string command) => WithSign(TencentSample.QueryFor(command));

    private static byte[] Oversized() => Encoding.UTF8.GetBytes(Body(b => b.Replace("\"Name\":\"", "\"Name\":\"" + new string('n', 300 * 1024), StringComparison.Ordinal)));

    private sealed record Case(Func<HttpRequestMessage> Request, HttpStatusCode Status, int ErrorCode, bool Stored);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Accepted, and stored as sent.
        ["the sample, signed"] = new(() => Post(Signed(), Body()), HttpStatusCode.OK, Ok, true),
        ["the documented sample with // comments"] = new(() => Post(Signed(), TencentSample.DocumentedBody.Replace("1670574414123", $"{NextEventTime()}", StringComparison.Ordinal)), HttpStatusCode.OK, Ok, true),
        ["Sign in upper-case hex"] = new(() => Post(Signed()[..^64] + Signed()[^64..].ToUpperInvariant(), Body()), HttpStatusCode.OK, Ok, true),
        ["RequestTime 60 s old, at the edge of the window"] = new(() => Post(WithSign(Q, Now - 60), Body()), HttpStatusCode.OK, Ok, true),
        ["RequestTime 60 s ahead, at the edge of the window"] = new(() => Post(WithSign(Q, Now + 60), Body()), HttpStatusCode.OK, Ok, true),
        ["Sign made with the rotated token"] = new(() => Post(WithSign(Q, token: RotatedToken), Body()), HttpStatusCode.OK, Ok, true),
        ["no Content-Type header"] = new(() => Post(Signed(), Body(), contentType: null), HttpStatusCode.OK, Ok, true),
        ["Content-Type with charset=utf-8"] = new(() => Post(Signed(), Body(), "application/json; charset=utf-8"), HttpStatusCode.OK, Ok, true),
        ["no contenttype query parameter"] = new(() => Post(Signed(Q.Replace("&contenttype=json", "", StringComparison.Ordinal)), Body()), HttpStatusCode.OK, Ok, true),
        ["no ClientIP or OptPlatform"] = new(() => Post(WithSign($"?SdkAppid={TencentSample.SdkAppId}&CallbackCommand={TencentSample.Command}"), Body()), HttpStatusCode.OK, Ok, true),
        ["unknown OptPlatform"] = new(() => Post(WithSign(TencentSample.QueryFor(TencentSample.Command, optPlatform: "PlayStation")), Body()), HttpStatusCode.OK, Ok, true),
        ["unknown extra fields"] = new(() => Post(Signed(), Body(b => b.Replace("{", "{\"Surprise\":[1,{\"a\":null}],", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["an unknown field nested 40 deep"] = new(() => Post(Signed(), Body(b => b.Replace("{", "{\"Deep\":" + new string('[', 40) + new string(']', 40) + ",", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["SQL in Name"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", "'; DROP TABLE webhook_events; --", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["script in Name"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", "<script>alert(1)</script>", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["escaped NUL and control characters in Name"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", "a\\u0000b\\u0007c\\u001b", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["Name of 1024 characters"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", new string('n', 1024), StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["Official_Account of 128 characters"] = new(() => Post(Signed(), Body(b => b.Replace("@TOA#_hostile", "@TOA#_" + new string('a', 122), StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["a command with no handler, recorded"] = new(() => Post(SignedFor(Unknown), UnknownBody()), HttpStatusCode.OK, Ok, true),
        ["a command with no handler, EventTime as a string, recorded"] = new(() => Post(SignedFor(Unknown), UnknownBody(",\"x\":1").Replace("\"EventTime\":", "\"EventTime\":\"", StringComparison.Ordinal).Replace(",\"x\"", "\",\"x\"", StringComparison.Ordinal)), HttpStatusCode.OK, Ok, true),
        ["a command with no handler, a lone surrogate in Official_Account, recorded"] = new(() => Post(SignedFor(Unknown), UnknownBody().Replace("@TOA#_hostile", "\\ud800", StringComparison.Ordinal)), HttpStatusCode.OK, Ok, true),
        ["the create callback"] = new(() => Post(SignedFor(Create), CreateBody()), HttpStatusCode.OK, Ok, true),
        ["EventTime as a string of digits, as Tencent's group pages print it"] = new(() => Post(Signed(), Body(b => b.Replace("\"EventTime\":", "\"EventTime\":\"", StringComparison.Ordinal).Replace("}", "\"}", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["Official_Account as a number"] = new(() => Post(Signed(), Body(b => b.Replace("\"@TOA#_hostile\"", $"{NextEventTime()}", StringComparison.Ordinal))), HttpStatusCode.OK, Ok, true),
        ["no CallbackCommand in the body, taken under the query's"] = new(() => Post(Signed(), Without("CallbackCommand")), HttpStatusCode.OK, Ok, true),
        ["a Push batch of events, recorded"] = new(() => Post(SignedFor("Push.OfflinePush"), $$"""{"Events":[{"CallbackCommand":"Push.OfflinePush","EventTime":{{NextEventTime()}}},{"CallbackCommand":"Push.OfflinePush","EventTime":1}]}"""), HttpStatusCode.OK, Ok, true),
        ["Content-Type text/plain"] = new(() => Post(Signed(), Body(), "text/plain"), HttpStatusCode.OK, Ok, true),
        ["Content-Type text/plain with charset=UTF-8"] = new(() => Post(Signed(), Body(), "text/plain; charset=UTF-8"), HttpStatusCode.OK, Ok, true),
        ["Content-Type form-urlencoded"] = new(() => Post(Signed(), Body(), "application/x-www-form-urlencoded"), HttpStatusCode.OK, Ok, true),
        ["a Content-Type that is not a media type"] = new(() => Post(Signed(), Body(), "json"), HttpStatusCode.OK, Ok, true),

        // Wrong method: first check of all.
        ["GET"] = new(() => Send(HttpMethod.Get, Signed()), HttpStatusCode.MethodNotAllowed, NotPost, false),
        ["PUT with a valid body"] = new(() => Send(HttpMethod.Put, Signed(), Body()), HttpStatusCode.MethodNotAllowed, NotPost, false),
        ["DELETE"] = new(() => Send(HttpMethod.Delete, Signed()), HttpStatusCode.MethodNotAllowed, NotPost, false),
        ["PATCH with a valid body"] = new(() => Send(HttpMethod.Patch, Signed(), Body()), HttpStatusCode.MethodNotAllowed, NotPost, false),

        // Wrong app: before authentication.
        ["no SdkAppid"] = new(() => Post(WithSign($"?CallbackCommand={TencentSample.Command}"), Body()), HttpStatusCode.Forbidden, UnknownApp, false),
        ["another SdkAppid"] = new(() => Post(WithSign(TencentSample.QueryFor(TencentSample.Command, sdkAppId: "1400000001")), Body()), HttpStatusCode.Forbidden, UnknownApp, false),
        ["SdkAppid repeated"] = new(() => Post(Signed(Q + "&SdkAppid=1400000001"), Body()), HttpStatusCode.Forbidden, UnknownApp, false),
        ["SdkAppid repeated with the same value"] = new(() => Post(Signed(Q + "&SdkAppid=" + TencentSample.SdkAppId), Body()), HttpStatusCode.Forbidden, UnknownApp, false),
        ["another SdkAppid and no Sign"] = new(() => Post(TencentSample.QueryFor(TencentSample.Command, sdkAppId: "1"), Body()), HttpStatusCode.Forbidden, UnknownApp, false),

        // Authentication: before the query, size and body.
        ["no RequestTime and no Sign"] = new(() => Post(Q, Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["Sign without RequestTime"] = new(() => Post(Signed().Replace($"&RequestTime={Now}", "", StringComparison.Ordinal), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime with an empty Sign"] = new(() => Post($"{Q}&RequestTime={Now}&Sign=", Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["Sign made with another token"] = new(() => Post(WithSign(Q, token: "guessed-token"), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["Sign that is not hex"] = new(() => Post($"{Q}&RequestTime={Now}&Sign={new string('g', 64)}", Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["Sign one digit short"] = new(() => Post(Signed()[..^1], Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["Sign with a digit changed"] = new(() => Post(Signed()[..^1] + (Signed()[^1] == '0' ? '1' : '0'), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["the token itself as Sign"] = new(() => Post($"{Q}&RequestTime={Now}&Sign={Token}", Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime 61 s old"] = new(() => Post(WithSign(Q, Now - 61), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime 61 s ahead"] = new(() => Post(WithSign(Q, Now + 61), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["a replayed Sign with its old RequestTime"] = new(() => Post(WithSign(Q, Now - 3600), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["a valid Sign moved to another RequestTime"] = new(() => Post(WithSign(Q).Replace($"RequestTime={Now}", $"RequestTime={Now + 1}", StringComparison.Ordinal), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime in milliseconds"] = new(() => Post(WithSign(Q, Now * 1000), Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime negative"] = new(() => Post($"{Q}&RequestTime=-{Now}&Sign={WebhookAuthenticator.Sign(Token, $"-{Now}")}", Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime beyond Int64"] = new(() => Post($"{Q}&RequestTime=99999999999999999999&Sign={WebhookAuthenticator.Sign(Token, "99999999999999999999")}", Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["RequestTime with a + sign"] = new(() => Post($"{Q}&RequestTime=%2B{Now}&Sign={WebhookAuthenticator.Sign(Token, $"+{Now}")}", Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["Sign repeated"] = new(() => Post(Signed() + "&Sign=" + Signed()[^64..], Body()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["no Sign and a broken body"] = new(() => Post(Q, "{\"CallbackCommand\":"), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["no Sign and an oversized body"] = new(() => PostBytes(Q, Oversized()), HttpStatusCode.Unauthorized, Unauthenticated, false),
        ["no Sign and text/plain"] = new(() => Post(Q, Body(), "text/plain"), HttpStatusCode.Unauthorized, Unauthenticated, false),

        // The query.
        ["no CallbackCommand in the query"] = new(() => Post(WithSign($"?SdkAppid={TencentSample.SdkAppId}&contenttype=json"), Body()), HttpStatusCode.BadRequest, Malformed, false),
        ["CallbackCommand repeated in the query"] = new(() => Post(Signed(Q + "&CallbackCommand=" + TencentSample.Command), Body()), HttpStatusCode.BadRequest, Malformed, false),
        ["CallbackCommand of 129 characters"] = new(() => Post(SignedFor(new string('c', 129)), Body()), HttpStatusCode.BadRequest, Malformed, false),
        ["an unknown contenttype"] = new(() => Post(Signed(Q.Replace("contenttype=json", "contenttype=xml", StringComparison.Ordinal)), Body()), HttpStatusCode.UnsupportedMediaType, NotJson, false),

        // Charset and size: the body decides whether it is JSON, but a body announced in another charset would be misread.
        ["Content-Type JSON in Latin-1"] = new(() => Post(Signed(), Body(), "application/json; charset=iso-8859-1"), HttpStatusCode.UnsupportedMediaType, NotJson, false),
        ["Content-Type text/plain in UTF-16"] = new(() => Post(Signed(), Body(), "text/plain; charset=utf-16"), HttpStatusCode.UnsupportedMediaType, NotJson, false),
        ["body over the limit, with Content-Length"] = new(() => PostBytes(Signed(), Oversized()), HttpStatusCode.RequestEntityTooLarge, TooLarge, false),
        ["body over the limit, chunked"] = new(() => Chunked(Signed(), Oversized()), HttpStatusCode.RequestEntityTooLarge, TooLarge, false),

        // The body's format.
        ["empty body"] = new(() => Post(Signed(), ""), HttpStatusCode.BadRequest, Malformed, false),
        ["whitespace body"] = new(() => Post(Signed(), " \r\n\t "), HttpStatusCode.BadRequest, Malformed, false),
        ["JSON array"] = new(() => Post(Signed(), "[" + Body() + "]"), HttpStatusCode.BadRequest, Malformed, false),
        ["JSON null"] = new(() => Post(Signed(), "null"), HttpStatusCode.BadRequest, Malformed, false),
        ["JSON string"] = new(() => Post(Signed(), "\"" + TencentSample.Command + "\""), HttpStatusCode.BadRequest, Malformed, false),
        ["JSON number"] = new(() => Post(Signed(), "42"), HttpStatusCode.BadRequest, Malformed, false),
        ["truncated JSON"] = new(() => Post(Signed(), Body()[..^10]), HttpStatusCode.BadRequest, Malformed, false),
        ["a second object after the first"] = new(() => Post(Signed(), Body() + "{}"), HttpStatusCode.BadRequest, Malformed, false),
        ["single-quoted JSON"] = new(() => Post(Signed(), Body().Replace('"', '\'')), HttpStatusCode.BadRequest, Malformed, false),
        ["duplicate keys"] = new(() => Post(Signed(), Body(b => b.Replace("{", "{\"Name\":\"first\",", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["text/plain with a body that is not JSON"] = new(() => Post(Signed(), "EventTime=1", "text/plain"), HttpStatusCode.BadRequest, Malformed, false),
        ["EventTime as a string that is not a number"] = new(() => Post(Signed(), WithField("EventTime", "\"soon\"")), HttpStatusCode.BadRequest, Malformed, false),
        ["EventTime as a string with a fraction"] = new(() => Post(Signed(), WithField("EventTime", "\"1670574414123.5\"")), HttpStatusCode.BadRequest, Malformed, false),
        ["EventTime as a string with a plus sign"] = new(() => Post(Signed(), WithField("EventTime", "\"+1670574414123\"")), HttpStatusCode.BadRequest, Malformed, false),
        ["EventTime as a float"] = new(() => Post(Signed(), Body(b => b.Replace("}", ".5}", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["EventTime in exponent form"] = new(() => Post(Signed(), Body(b => b.Replace("}", "e0}", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["EventTime beyond Int64"] = new(() => Post(Signed(), Body(b => b.Replace("}", "000000000}", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["Official_Account as a fraction"] = new(() => Post(Signed(), Body(b => b.Replace("\"@TOA#_hostile\"", "4.2", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["Name as an object"] = new(() => Post(Signed(), Body(b => b.Replace("\"TestOfficialAccount\"", "{\"a\":1}", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["invalid UTF-8 in a string"] = new(() => PostBytes(Signed(), InvalidUtf8InName()), HttpStatusCode.BadRequest, Malformed, false),
        ["an unescaped control character in a string"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", "Test\u0001Account", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["a raw NUL between fields"] = new(() => Post(Signed(), Body(b => b.Replace(",", ",\0", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["a UTF-8 byte-order mark before the object"] = new(() => PostBytes(Signed(), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Body())]), HttpStatusCode.BadRequest, Malformed, false),
        ["a lone surrogate in Name"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", "\\ud800", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["nesting 10 000 deep"] = new(() => Post(Signed(), Body(b => b.Replace("{", "{\"Deep\":" + new string('[', 10_000) + new string(']', 10_000) + ",", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Malformed, false),
        ["a command with no handler and an array body"] = new(() => Post(SignedFor(Unknown), "[]"), HttpStatusCode.BadRequest, Malformed, false),

        // Validation.
        ["every field missing"] = new(() => Post(Signed(), "{}"), HttpStatusCode.BadRequest, Invalid, false),
        ["Official_Account missing"] = new(() => Post(Signed(), Without("Official_Account")), HttpStatusCode.BadRequest, Invalid, false),
        ["EventTime null"] = new(() => Post(Signed(), WithField("EventTime", "null")), HttpStatusCode.BadRequest, Invalid, false),
        ["EventTime negative"] = new(() => Post(Signed(), Body(b => b.Replace("\"EventTime\":", "\"EventTime\":-", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Invalid, false),
        ["EventTime zero"] = new(() => Post(Signed(), TencentSample.DestroyedBody("@TOA#_hostile", 0)), HttpStatusCode.BadRequest, Invalid, false),
        ["EventTime past year 9999"] = new(() => Post(Signed(), TencentSample.DestroyedBody("@TOA#_hostile", 253_402_300_800_000)), HttpStatusCode.BadRequest, Invalid, false),
        ["an empty CallbackCommand in the body"] = new(() => Post(Signed(), WithField("CallbackCommand", "\"\"")), HttpStatusCode.BadRequest, Invalid, false),
        ["a body CallbackCommand that differs from the query's"] = new(() => Post(SignedFor(Create), Body()), HttpStatusCode.BadRequest, Invalid, false),
        ["an unhandled command whose body names another"] = new(() => Post(SignedFor(Unknown), Body()), HttpStatusCode.BadRequest, Invalid, false),
        ["NUL in Official_Account"] = new(() => Post(Signed(), Body(b => b.Replace("@TOA#_hostile", "@TOA#_ho\\u0000stile", StringComparison.Ordinal))), HttpStatusCode.BadRequest, Invalid, false),
        ["Official_Account of 129 characters"] = new(() => Post(Signed(), Body(b => b.Replace("@TOA#_hostile", "@TOA#_" + new string('a', 123), StringComparison.Ordinal))), HttpStatusCode.BadRequest, Invalid, false),
        ["Name of 1025 characters"] = new(() => Post(Signed(), Body(b => b.Replace("TestOfficialAccount", new string('n', 1025), StringComparison.Ordinal))), HttpStatusCode.BadRequest, Invalid, false),
        ["the create callback without Owner_Account"] = new(() => Post(SignedFor(Create), CreateBody(owner: "")), HttpStatusCode.BadRequest, Invalid, false),

        // The other official-account callbacks: accepted as Tencent sends them, in every form it shows.
        ["a before-create callback"] = new(() => Post(SignedFor(BeforeCreate), $$"""{"CallbackCommand":"{{BeforeCreate}}","Operator_Account":"op","Owner_Account":"o","Name":"n","EventTime":{{NextEventTime()}}}"""), HttpStatusCode.OK, Ok, true),
        ["a subscriber list as Tencent sends it"] = new(() => Post(SignedFor(AddSubscriber), Subscribers(Entries(2))), HttpStatusCode.OK, Ok, true),
        ["a before-add-subscriber callback"] = new(() => Post(SignedFor(BeforeAddSubscriber), Subscribers(Entries(2), BeforeAddSubscriber)), HttpStatusCode.OK, Ok, true),
        ["a subscriber list of 1000 entries"] = new(() => Post(SignedFor(AddSubscriber), Subscribers(Entries(1000))), HttpStatusCode.OK, Ok, true),
        ["an empty subscriber list"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("[]")), HttpStatusCode.OK, Ok, true),
        ["the same subscriber twice in one list"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[{"Subscriber_Account":"a"},{"Subscriber_Account":"a"}]""")), HttpStatusCode.OK, Ok, true),
        ["Subscriber_Account as a number"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[{"Subscriber_Account":107867}]""")), HttpStatusCode.OK, Ok, true),
        ["a sent message with every field"] = new(() => Post(SignedFor(SendMsg), Sent("""
            "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],"CloudCustomData":"c",
            """)), HttpStatusCode.OK, Ok, true),
        ["a sent message without MsgBody or CloudCustomData"] = new(() => Post(SignedFor(SendMsg), Sent()), HttpStatusCode.OK, Ok, true),
        ["MsgTime in milliseconds"] = new(() => Post(SignedFor(SendMsg), Sent().Replace("1490686222", "1490686222123", StringComparison.Ordinal)), HttpStatusCode.OK, Ok, true),
        ["MsgTime as a string of digits"] = new(() => Post(SignedFor(SendMsg), Sent().Replace("1490686222", "\"1490686222\"", StringComparison.Ordinal)), HttpStatusCode.OK, Ok, true),
        ["a message element of a type Tencent may add later"] = new(() => Post(SignedFor(SendMsg), Sent("""
            "MsgBody":[{"MsgType":"TIMHologramElem","MsgContent":{"Depth":3}},{"MsgType":"TIMFaceElem"}],
            """)), HttpStatusCode.OK, Ok, true),
        ["a withdraw list"] = new(() => Post(SignedFor(Withdraw), Withdrawn("""[{"MsgKey":"71_1_1698741698"},{"MsgKey":"72_1_1698741699"}]""")), HttpStatusCode.OK, Ok, true),
        ["MsgKey as a number in a withdraw list"] = new(() => Post(SignedFor(Withdraw), Withdrawn("""[{"MsgKey":71}]""")), HttpStatusCode.OK, Ok, true),
        ["a profile change with only some fields"] = new(() => Post(SignedFor(InfoChanged), Typed(InfoChanged, "\"Introduction\":\"\",")), HttpStatusCode.OK, Ok, true),
        ["Introduction as a number"] = new(() => Post(SignedFor(InfoChanged), Typed(InfoChanged, "\"Introduction\":42,")), HttpStatusCode.OK, Ok, true),

        // Their lists, hostile: a clear 400 naming the field, never a 500.
        ["a subscriber list of 5000 entries"] = new(() => Post(SignedFor(AddSubscriber), Subscribers(Entries(5000))), HttpStatusCode.BadRequest, Invalid, false),
        ["SubscribeAccountList missing"] = new(() => Post(SignedFor(AddSubscriber), Typed(AddSubscriber, "")), HttpStatusCode.BadRequest, Invalid, false),
        ["SubscribeAccountList null"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("null")), HttpStatusCode.BadRequest, Invalid, false),
        ["SubscribeAccountList as a string"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("\"jared\"")), HttpStatusCode.BadRequest, Malformed, false),
        ["SubscribeAccountList as an object"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""{"Subscriber_Account":"jared"}""")), HttpStatusCode.BadRequest, Malformed, false),
        ["SubscribeAccountList of plain strings, as the REST API takes them"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""["jared","leckie"]""")), HttpStatusCode.BadRequest, Malformed, false),
        ["SubscribeAccountList of plain strings in a before callback"] = new(() => Post(SignedFor(BeforeAddSubscriber), Subscribers("""["jared"]""", BeforeAddSubscriber)), HttpStatusCode.BadRequest, Malformed, false),
        ["SubscribeAccountList nested in a list"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[[{"Subscriber_Account":"a"}]]""")), HttpStatusCode.BadRequest, Malformed, false),
        ["a null entry in SubscribeAccountList"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[{"Subscriber_Account":"a"},null]""")), HttpStatusCode.BadRequest, Invalid, false),
        ["an entry without Subscriber_Account"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[{"Subscriber":"a"}]""")), HttpStatusCode.BadRequest, Invalid, false),
        ["an empty Subscriber_Account"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[{"Subscriber_Account":""}]""")), HttpStatusCode.BadRequest, Invalid, false),
        ["Subscriber_Account as an object"] = new(() => Post(SignedFor(AddSubscriber), Subscribers("""[{"Subscriber_Account":{"id":"a"}}]""")), HttpStatusCode.BadRequest, Malformed, false),
        ["Subscriber_Account of 257 characters"] = new(() => Post(SignedFor(AddSubscriber), Subscribers($$"""[{"Subscriber_Account":"{{new string('u', 257)}}"}]""")), HttpStatusCode.BadRequest, Invalid, false),
        ["WithdrawMsgList missing"] = new(() => Post(SignedFor(Withdraw), Typed(Withdraw, "")), HttpStatusCode.BadRequest, Invalid, false),
        ["a withdraw list of 1001 entries"] = new(() => Post(SignedFor(Withdraw), Withdrawn("[" + string.Join(",", Enumerable.Repeat("""{"MsgKey":"k"}""", 1001)) + "]")), HttpStatusCode.BadRequest, Invalid, false),
        ["an entry without MsgKey in a withdraw list"] = new(() => Post(SignedFor(Withdraw), Withdrawn("[{}]")), HttpStatusCode.BadRequest, Invalid, false),
        ["MsgKey as true in a withdraw list"] = new(() => Post(SignedFor(Withdraw), Withdrawn("""[{"MsgKey":true}]""")), HttpStatusCode.BadRequest, Malformed, false),
        ["a sent message without MsgKey"] = new(() => Post(SignedFor(SendMsg), Typed(SendMsg, "\"MsgTime\":1490686222,")), HttpStatusCode.BadRequest, Invalid, false),
        ["a sent message without MsgTime"] = new(() => Post(SignedFor(SendMsg), Typed(SendMsg, "\"MsgKey\":\"k\",")), HttpStatusCode.BadRequest, Invalid, false),
        ["MsgTime negative"] = new(() => Post(SignedFor(SendMsg), Sent().Replace("1490686222", "-1", StringComparison.Ordinal)), HttpStatusCode.BadRequest, Invalid, false),
        ["MsgTime as a word"] = new(() => Post(SignedFor(SendMsg), Sent().Replace("1490686222", "\"now\"", StringComparison.Ordinal)), HttpStatusCode.BadRequest, Malformed, false),
        ["MsgBody as an object"] = new(() => Post(SignedFor(SendMsg), Sent("""  "MsgBody":{"MsgType":"TIMTextElem"},""")), HttpStatusCode.BadRequest, Invalid, false),
        ["MsgBody of strings"] = new(() => Post(SignedFor(SendMsg), Sent("""  "MsgBody":["red packet"],""")), HttpStatusCode.BadRequest, Invalid, false),
        ["a MsgBody element without MsgType"] = new(() => Post(SignedFor(SendMsg), Sent("""  "MsgBody":[{"MsgContent":{"Text":"a"}}],""")), HttpStatusCode.BadRequest, Invalid, false),
        ["MsgType as a number"] = new(() => Post(SignedFor(SendMsg), Sent("""  "MsgBody":[{"MsgType":1}],""")), HttpStatusCode.BadRequest, Invalid, false),
        ["MsgContent as a string"] = new(() => Post(SignedFor(SendMsg), Sent("""  "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":"a"}],""")), HttpStatusCode.BadRequest, Invalid, false),
        ["OnlineOnlyFlag as a word"] = new(() => Post(SignedFor(SendMsg), Sent().Replace("\"OnlineOnlyFlag\":1", "\"OnlineOnlyFlag\":\"yes\"", StringComparison.Ordinal)), HttpStatusCode.BadRequest, Malformed, false),
        ["CloudCustomData as an object"] = new(() => Post(SignedFor(SendMsg), Sent("""  "CloudCustomData":{"a":1},""")), HttpStatusCode.BadRequest, Malformed, false),
        ["Introduction as an array"] = new(() => Post(SignedFor(InfoChanged), Typed(InfoChanged, "\"Introduction\":[\"a\"],")), HttpStatusCode.BadRequest, Malformed, false),
        ["Introduction of 4097 characters"] = new(() => Post(SignedFor(InfoChanged), Typed(InfoChanged, $"\"Introduction\":\"{new string('i', 4097)}\",")), HttpStatusCode.BadRequest, Invalid, false),
        ["a before-create callback without Owner_Account"] = new(() => Post(SignedFor(BeforeCreate), $$"""{"CallbackCommand":"{{BeforeCreate}}","Name":"n","EventTime":{{NextEventTime()}}}"""), HttpStatusCode.BadRequest, Invalid, false),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public void Has_at_least_forty_cases() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Answers_each_hostile_request_exactly(string name)
    {
        var expected = Cases[name];
        var before = host.Database.CountEvents();

        using var request = expected.Request();
        using var response = await host.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(expected.Status, response.StatusCode);
        Assert.Equal(expected.ErrorCode, answer.GetProperty("ErrorCode").GetInt32());
        Assert.Equal(expected.ErrorCode == Ok ? "OK" : "FAIL", answer.GetProperty("ActionStatus").GetString());
        Assert.Equal(JsonValueKind.String, answer.GetProperty("ErrorInfo").ValueKind);
        Assert.Equal(expected.Stored ? before + 1 : before, host.Database.CountEvents());
    }
}
