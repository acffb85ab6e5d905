namespace CleanChat.WebhookApi.Webhook;

/// <summary>
/// What a request's <c>Content-Type</c> may still refuse: only a charset other than UTF-8. Whether the body is JSON
/// is decided by the body itself, since the header protects nothing that <c>SdkAppid</c> and <c>Sign</c> do not,
/// and Tencent does not document the header it sends. Span-based: it runs on every request.
/// </summary>
public static class ContentTypeCharset
{
    /// <summary>
    /// True for a missing header and for any media type with no charset or a UTF-8 one (<c>utf-8</c>, <c>utf8</c>,
    /// quoted or not, in any case).
    /// </summary>
    public static bool IsUtf8OrUnstated(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var text = contentType.AsSpan();
        var separator = text.IndexOf(';');
        if (separator < 0)
        {
            return true;
        }

        // The body is read as UTF-8; one announced in another charset would be misread.
        var parameters = text[(separator + 1)..];
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            if (parameter.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))
            {
                var charset = parameter["charset=".Length..].Trim().Trim('"');
                if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
