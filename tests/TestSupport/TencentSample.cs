namespace CleanChat.TestSupport;

/// <summary>The seed document's sample delivery, and helpers to vary it.</summary>
public static class TencentSample
{
    public const string SdkAppId = "1400000000";
    public const string Command = "OfficialAccount.CallbackAfterOfficialAccountDestroyed";
    public const string CreateCommand = "OfficialAccount.CallbackAfterCreateOfficialAccount";
    public const string OfficialAccount = "@TOA#_test_OA_for_penn";
    public const long EventTime = 1670574414123;

    /// <summary>The sample body exactly as the seed document prints it, comments included.</summary>
    public const string DocumentedBody = """
        {
        "CallbackCommand": "OfficialAccount.CallbackAfterOfficialAccountDestroyed", // Callback command
        "Official_Account" : "@TOA#_test_OA_for_penn",
        "Owner_Account": "107867", // Owner of the official account
        "Name": "TestOfficialAccount", // Group name
        "EventTime": 1670574414123// Event trigger timestamp in milliseconds
        }
        """;

    /// <summary>The sample body as plain JSON, as Tencent sends it.</summary>
    public const string Body = """
        {"CallbackCommand":"OfficialAccount.CallbackAfterOfficialAccountDestroyed","Official_Account":"@TOA#_test_OA_for_penn","Owner_Account":"107867","Name":"TestOfficialAccount","EventTime":1670574414123}
        """;

    public const string Query =
        "?SdkAppid=" + SdkAppId + "&CallbackCommand=" + Command + "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI";

    public static string QueryFor(string command, string sdkAppId = SdkAppId, string optPlatform = "RESTAPI") =>
        $"?SdkAppid={Uri.EscapeDataString(sdkAppId)}&CallbackCommand={Uri.EscapeDataString(command)}&contenttype=json&ClientIP=127.0.0.1&OptPlatform={Uri.EscapeDataString(optPlatform)}";

    /// <summary>A destroyed-account body for any account and time.</summary>
    public static string DestroyedBody(string officialAccount, long eventTime, string owner = "107867", string name = "TestOfficialAccount") =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["CallbackCommand"] = Command,
            ["Official_Account"] = officialAccount,
            ["Owner_Account"] = owner,
            ["Name"] = name,
            ["EventTime"] = eventTime,
        });

    /// <summary>A created-account body (<c>OfficialAccount.CallbackAfterCreateOfficialAccount</c>) for any account and time.</summary>
    public static string CreatedBody(
        string officialAccount, long eventTime, string owner = "107867", string name = "TestOfficialAccount", string @operator = "107867") =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["CallbackCommand"] = CreateCommand,
            ["Official_Account"] = officialAccount,
            ["Operator_Account"] = @operator,
            ["Owner_Account"] = owner,
            ["Name"] = name,
            ["EventTime"] = eventTime,
        });
}
