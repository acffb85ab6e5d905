namespace CleanChat.WebhookApi.Webhook;

/// <summary>Which request <c>Content-Type</c>s announce a JSON body. Span-based: it runs on every request.</summary>
public static class JsonContentType
{
    /// <summary>
    /// True for a missing header (Tencent does not document its header), <c>application/json</c>,
    /// <c>text/json</c> and <c>application/*+json</c>, with no charset or a UTF-8 one.
    /// </summary>
    public static bool IsAcceptable(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true;
        }

        var text = contentType.AsSpan();
        var separator = text.IndexOf(';');
        var mediaType = (separator < 0 ? text : text[..separator]).Trim();
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson || separator < 0)
        {
            return isJson;
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
