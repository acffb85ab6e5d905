namespace CleanChat.Infrastructure.Events;

/// <summary>
/// The one text rule both engines keep: PostgreSQL's text type cannot hold U+0000, so a NUL inside a typed
/// column (a name, an account, a message key) is stored as U+FFFD, the replacement character, on every engine
/// alike. Each engine's writer binds every typed text through <see cref="Clean(string?)"/>. The raw body is stored
/// exactly as received: a JSON text never holds a raw NUL, only the escape <c>\u0000</c>.
/// </summary>
internal static class StoredText
{
    private const char Nul = '\0';
    private const char Replacement = '\uFFFD';

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Clean(string? text) =>
        text is not null && text.Contains(Nul, StringComparison.Ordinal) ? text.Replace(Nul, Replacement) : text;

    public static string[] Clean(IReadOnlyList<string> texts)
    {
        var cleaned = new string[texts.Count];
        for (var i = 0; i < cleaned.Length; i++)
        {
            cleaned[i] = Clean(texts[i]);
        }

        return cleaned;
    }
}
