namespace CleanChat.Domain.OfficialAccounts;

/// <summary>Facts about official account IDs from Tencent's documentation.</summary>
public static class OfficialAccountIds
{
    /// <summary>Tencent prefixes every official account ID with this.</summary>
    public const string Prefix = "@TOA#_";

    /// <summary>
    /// A custom ID is at most 48 bytes after the prefix. We allow some headroom rather than
    /// refuse a genuine event over a byte count Tencent might relax.
    /// </summary>
    public const int MaxLength = 128;
}
