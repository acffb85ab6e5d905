using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CleanChat.Application.Common.Paging;

/// <summary>
/// Opaque keyset page tokens. A token holds the last key of the page it ends and a fingerprint of the
/// filters it was made for, so it cannot be replayed against a different query.
/// </summary>
public static class PageTokens
{
    private sealed record Token(string F, string[] K);

    public static string Encode(object filters, params string[] lastKey) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Token(Fingerprint(filters), lastKey)));

    /// <summary>Returns the last key, or null when the token is malformed or was made for other filters.</summary>
    public static string[]? Decode(string token, object filters)
    {
        try
        {
            var decoded = JsonSerializer.Deserialize<Token>(Base64Url.DecodeFromChars(token));
            return decoded is not null && decoded.F == Fingerprint(filters) ? decoded.K : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    // A record's ToString names every property and value, so equal filters give equal fingerprints.
    private static string Fingerprint(object filters) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filters.ToString() ?? string.Empty)))[..16];
}
