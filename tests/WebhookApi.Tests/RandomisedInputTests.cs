using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CleanChat.Domain.Callbacks;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Webhook;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static CleanChat.WebhookApi.Tests.AuthenticatedHost;

namespace CleanChat.WebhookApi.Tests;

/// <summary>
/// Thousands of mutations of valid deliveries of every official-account callback, generated from a fixed seed (printed, and overridable with
/// WEBHOOK_FUZZ_SEED to explore others). Whatever arrives: never a 500, always a Tencent answer whose code matches
/// its status, and a row stored exactly when the answer is OK. Each delivery has its own account, EventTime and
/// Fuzz_Id, and no field mutation yields a valid EventTime, so no two are the same event: "OK" means "one more row".
/// </summary>
public sealed class RandomisedInputTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 3_2024;
    private const int Requests = 3000;
    private const string Unhandled = "Group.CallbackAfterNewMemberJoin";

    // The commands a delivery is made for, by weight: the seed's callback most often, then every other
    // official-account callback, and one with no typed handler.
    private static readonly (string Command, int Weight)[] Commands =
    [
        (TencentSample.Command, 8),
        (CallbackCommands.AfterCreateOfficialAccount, 2),
        (CallbackCommands.BeforeCreateOfficialAccount, 1),
        (CallbackCommands.AfterOfficialAccountInfoChanged, 1),
        (CallbackCommands.BeforeAddSubscriber, 1),
        (CallbackCommands.AfterAddSubscriber, 2),
        (CallbackCommands.AfterOfficialAccountFull, 1),
        (CallbackCommands.AfterDeleteSubscriber, 1),
        (CallbackCommands.BeforeSendMsg, 1),
        (CallbackCommands.AfterSendMsg, 2),
        (CallbackCommands.AfterMsgWithDraw, 1),
        (Unhandled, 1),
    ];

    private const string SubscriberList = """[{"Subscriber_Account":"jared"},{"Subscriber_Account":"leckie"}]""";
    private const string MsgBody = """[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}]""";

    private static readonly Dictionary<int, HttpStatusCode> StatusOfCode = new()
    {
        [(int)WebhookErrorCode.Ok] = HttpStatusCode.OK,
        [(int)WebhookErrorCode.MalformedRequest] = HttpStatusCode.BadRequest,
        [(int)WebhookErrorCode.InvalidField] = HttpStatusCode.BadRequest,
        [(int)WebhookErrorCode.Unauthenticated] = HttpStatusCode.Unauthorized,
        [(int)WebhookErrorCode.UnknownApp] = HttpStatusCode.Forbidden,
        [(int)WebhookErrorCode.BodyTooLarge] = HttpStatusCode.RequestEntityTooLarge,
        [(int)WebhookErrorCode.UnsupportedContentType] = HttpStatusCode.UnsupportedMediaType,
    };

    // JSON values of every kind; none is a valid EventTime, so a replaced EventTime can never collide with another delivery's.
    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1.5", "1e400", "99999999999999999999", "253402300800000", "\"\"", "\"x\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"名前🙂\"", "[]", "{}", "[[[[[[[[[[1]]]]]]]]]]", "{\"a\":{\"b\":[null]}}",
        "\"" + new string('w', 2000) + "\"", "\"'; DROP TABLE webhook_events; --\"", "\"<script>alert(1)</script>\"",
        "[\"jared\"]", "[null]", "[{}]", "[{\"Subscriber_Account\":1.5}]", "[{\"MsgKey\":[]}]", "[{\"MsgType\":1}]", "[[]]",
    ];

    private static readonly string[] Fragments = ["\"", "{", "}", "[", "]", ",", ":", "\\", "\0", "\u0001", "null", "-", ".", "e", "//", "/*", "\uFEFF", "9", "a"];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json", "application/json", null, "application/json; charset=utf-8", "text/plain", "application/json; charset=latin1", "text/json", "multipart/form-data"];

    private static readonly string[] Platforms = ["RESTAPI", "Web", "IOS", "macOS", "IPad", "Unkown", "", "\u0000", "💥"];

    [Fact]
    public async Task Never_answers_500_always_answers_in_tencent_form_and_stores_exactly_when_ok()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("WEBHOOK_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        output.WriteLine($"seed {seed} (set WEBHOOK_FUZZ_SEED to replay another)");
        var random = new Random(seed);
        using var host = new AuthenticatedHost();
        using var counter = new SqliteConnection(host.Database.ConnectionString);
        counter.Open();
        using var count = counter.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM webhook_events";
        var stored = 0L;
        var answers = new Dictionary<int, int>();

        for (var i = 0; i < Requests; i++)
        {
            var delivery = Generate(random, i);
            using var request = AuthenticatedHost.Post(delivery.Query, delivery.Body, delivery.ContentType);
            using var response = await host.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var now = (long)count.ExecuteScalar()!;

            var problem = Check(response.StatusCode, text, now - stored, out var code);
            if (problem is not null)
            {
                Assert.Fail($"seed {seed}, request {i} ({delivery.Description}): {problem}\nquery: {delivery.Query}\nbody: {Encoding.UTF8.GetString(delivery.Body)}\nanswer: {(int)response.StatusCode} {text}");
            }

            answers[code] = answers.GetValueOrDefault(code) + 1;
            stored = now;
        }

        output.WriteLine(string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}")));
        // The generator must reach both sides, or the property says little.
        Assert.True(answers.GetValueOrDefault(0) > Requests / 10, "too few deliveries were accepted");
        Assert.True(answers.Count >= 6, "too few kinds of refusal were produced");
    }

    private static string? Check(HttpStatusCode status, string text, long added, out int code)
    {
        code = -1;
        if (status == HttpStatusCode.InternalServerError)
        {
            return "a 500";
        }

        JsonElement answer;
        try
        {
            answer = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return "the answer is not JSON";
        }

        if (answer.ValueKind != JsonValueKind.Object
            || answer.EnumerateObject().Count() != 3
            || !answer.TryGetProperty("ActionStatus", out var actionStatus) || actionStatus.ValueKind != JsonValueKind.String
            || !answer.TryGetProperty("ErrorInfo", out var info) || info.ValueKind != JsonValueKind.String
            || !answer.TryGetProperty("ErrorCode", out var errorCode) || !errorCode.TryGetInt32(out code))
        {
            return "the answer is not Tencent's shape";
        }

        if (!StatusOfCode.TryGetValue(code, out var expectedStatus) || expectedStatus != status)
        {
            return $"ErrorCode {code} does not go with HTTP {(int)status}";
        }

        var ok = code == 0;
        if (actionStatus.GetString() != (ok ? "OK" : "FAIL"))
        {
            return $"ActionStatus {actionStatus.GetString()} with ErrorCode {code}";
        }

        return added == (ok ? 1 : 0) ? null : $"{added} rows stored for an answer of {actionStatus.GetString()}";
    }

    private sealed record Delivery(string Query, byte[] Body, string? ContentType, string Description);

    private static Delivery Generate(Random random, int i)
    {
        var notes = new List<string>();
        var command = PickWeighted(random);
        var fields = Fields(command, i);
        notes.Add(command);

        var structural = random.Next(3);
        for (var m = 0; m < structural; m++)
        {
            var at = random.Next(fields.Count);
            switch (random.Next(4))
            {
                case 0:
                    notes.Add($"remove {fields[at].Key}");
                    fields.RemoveAt(at);
                    break;
                case 1:
                    var value = Pick(random, Values);
                    notes.Add($"{fields[at].Key}={Shorten(value)}");
                    fields[at] = (fields[at].Key, value);
                    break;
                case 2:
                    notes.Add($"add an unknown field");
                    fields.Insert(at, ($"Extra{random.Next(100)}", Pick(random, Values)));
                    break;
                default:
                    notes.Add($"repeat {fields[at].Key}");
                    fields.Insert(at, fields[at]);
                    break;
            }
        }

        // Added after the field mutations: most commands are keyed by their whole body, which this keeps unique.
        fields.Add(("Fuzz_Id", i.ToString(CultureInfo.InvariantCulture)));
        var body = Encoding.UTF8.GetBytes("{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Json}")) + "}").ToList();
        var textual = random.Next(10) < 4 ? random.Next(1, 4) : 0;
        for (var m = 0; m < textual && body.Count > 0; m++)
        {
            var at = random.Next(body.Count);
            switch (random.Next(5))
            {
                case 0:
                    notes.Add($"byte {at} = random");
                    body[at] = (byte)random.Next(256);
                    break;
                case 1:
                    var length = Math.Min(random.Next(1, 6), body.Count - at);
                    notes.Add($"delete {length} bytes at {at}");
                    body.RemoveRange(at, length);
                    break;
                case 2:
                    var fragment = Pick(random, Fragments);
                    notes.Add($"insert {Shorten(fragment)} at {at}");
                    body.InsertRange(at, Encoding.UTF8.GetBytes(fragment));
                    break;
                case 3:
                    notes.Add($"truncate at {at}");
                    body.RemoveRange(at, body.Count - at);
                    break;
                default:
                    notes.Add($"invalid UTF-8 at {at}");
                    body.Insert(at, (byte)(0xF8 + random.Next(8)));
                    break;
            }
        }

        var query = TencentSample.QueryFor(command, optPlatform: random.Next(5) == 0 ? Pick(random, Platforms) : "RESTAPI");
        var contentType = random.Next(10) == 0 ? Pick(random, ContentTypes) : "application/json";
        if (contentType != "application/json")
        {
            notes.Add($"Content-Type {contentType ?? "none"}");
        }

        switch (random.Next(40))
        {
            case 0:
                notes.Add("no Sign");
                break;
            case 1:
                notes.Add("stale Sign");
                query = WithSign(query, Now - 61 - random.Next(100_000));
                break;
            case 2:
                notes.Add("wrong token");
                query = WithSign(query, token: "not-the-token");
                break;
            case 3:
                notes.Add("another app");
                query = WithSign(query.Replace(TencentSample.SdkAppId, "1400000001", StringComparison.Ordinal));
                break;
            case 4:
                notes.Add("contenttype=xml");
                query = WithSign(query.Replace("contenttype=json", "contenttype=xml", StringComparison.Ordinal));
                break;
            default:
                query = WithSign(query, Now + random.Next(-60, 61));
                break;
        }

        return new Delivery(query, [.. body], contentType, notes.Count == 0 ? "unchanged" : string.Join("; ", notes));
    }

    /// <summary>A valid body's fields for <paramref name="command"/>, for its own account and EventTime.</summary>
    private static List<(string Key, string Json)> Fields(string command, int i)
    {
        var account = ("Official_Account", JsonSerializer.Serialize($"@TOA#_fuzz{i}"));
        var eventTime = ("EventTime", (TencentSample.EventTime + i).ToString(CultureInfo.InvariantCulture));
        List<(string Key, string Json)> own = command switch
        {
            CallbackCommands.AfterCreateOfficialAccount => [account, ("Operator_Account", "\"admin\""), ("Owner_Account", "\"107867\""), ("Name", "\"TestOfficialAccount\"")],
            CallbackCommands.BeforeCreateOfficialAccount => [("Operator_Account", "\"admin\""), ("Owner_Account", "\"107867\""), ("Name", "\"TestOfficialAccount\"")],
            CallbackCommands.AfterOfficialAccountInfoChanged => [account, ("Operator_Account", "\"admin\""), ("Introduction", "\"intro\""), ("Name", "\"n\""), ("FaceUrl", "\"http://f\""), ("Organization", "\"org\"")],
            CallbackCommands.BeforeAddSubscriber or CallbackCommands.AfterAddSubscriber or CallbackCommands.AfterDeleteSubscriber =>
                [account, ("Operator_Account", "\"107867\""), ("SubscribeAccountList", SubscriberList)],
            CallbackCommands.BeforeSendMsg => [account, ("OnlineOnlyFlag", "1"), ("MsgBody", MsgBody), ("CloudCustomData", "\"c\"")],
            CallbackCommands.AfterSendMsg => [account, ("MsgKey", "\"71_1_1698741698\""), ("MsgTime", "1490686222"), ("OnlineOnlyFlag", "1"), ("MsgBody", MsgBody), ("CloudCustomData", "\"c\"")],
            CallbackCommands.AfterMsgWithDraw => [account, ("WithdrawMsgList", """[{"MsgKey":"71_1_1698741698"}]""")],
            CallbackCommands.AfterOfficialAccountFull or Unhandled => [account],
            _ => [account, ("Owner_Account", "\"107867\""), ("Name", "\"TestOfficialAccount\"")],
        };
        return [("CallbackCommand", JsonSerializer.Serialize(command)), .. own, eventTime];
    }

    private static string PickWeighted(Random random)
    {
        var at = random.Next(Commands.Sum(c => c.Weight));
        foreach (var (command, weight) in Commands)
        {
            if (at < weight)
            {
                return command;
            }

            at -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;
}
