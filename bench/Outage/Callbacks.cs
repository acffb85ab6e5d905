using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CleanChat.Outage;

/// <summary>
/// Destroyed-account callbacks as Tencent sends them: the query string of bench/ingest.lua, signed with the token,
/// every account distinct (so each OK can be found in the log by its account), owners drawn from a population with a
/// few popular ones, EventTime the current time in ms.
/// </summary>
internal sealed class Callbacks(string token, string appId)
{
    public const string Command = "OfficialAccount.CallbackAfterOfficialAccountDestroyed";
    private const int Owners = 100_000;
    private const int PopularOwners = 10;

    // A tag per run, so accounts of one run never match another's rows.
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly object _gate = new();
    private long _signedSecond = -1;
    private string _signedQuery = "";

    /// <summary>The account the <paramref name="index"/>-th callback destroys.</summary>
    public string AccountOf(long index) => string.Create(CultureInfo.InvariantCulture, $"@TOA#_outage_{_run}_{index}");

    /// <summary>The request's path and query: signed for the current second, the Sign reused within it.</summary>
    public string PathAndQuery()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (_gate)
        {
            if (now != _signedSecond)
            {
                var requestTime = now.ToString(CultureInfo.InvariantCulture);
                // As WebhookAuthenticator.Sign: lowercase hex SHA-256 of token + RequestTime.
                var sign = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token + requestTime)));
                _signedQuery = $"/webhook?SdkAppid={appId}&CallbackCommand={Command}&contenttype=json&ClientIP=127.0.0.1"
                    + $"&OptPlatform=RESTAPI&RequestTime={requestTime}&Sign={sign}";
                _signedSecond = now;
            }

            return _signedQuery;
        }
    }

    /// <summary>The body of the <paramref name="index"/>-th callback, UTF-8.</summary>
    public byte[] Body(long index)
    {
        var owner = NextOwner();
        var eventTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$"""{"CallbackCommand":"{{Command}}","Official_Account":"{{AccountOf(index)}}","Owner_Account":"{{owner}}","Name":"Account {{index}}","EventTime":{{eventTime}}}"""));
    }

    // A third of the callbacks come from ten popular owners (the owner_account index gets hot keys, as in real
    // traffic); the rest from 100,000 owners at random.
    private static int NextOwner() =>
        Random.Shared.Next(3) == 0 ? 100_000 + Random.Shared.Next(PopularOwners) : 100_000 + Random.Shared.Next(Owners);
}
