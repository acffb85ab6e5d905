namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Builds a WHERE clause from constant SQL fragments, keeping those that apply. SQLite then sees only the
/// conditions a query really has and can pick the index for them; a catch-all "(@X IS NULL OR x = @X)" would
/// hide every index behind an OR. Fragments are constants with parameters, never values.
/// </summary>
internal static class SqlWhere
{
    /// <returns>"WHERE a AND b" for the fragments that apply, or an empty string when none does.</returns>
    public static string Of(params ReadOnlySpan<(string Fragment, bool Applies)> conditions)
    {
        List<string>? applying = null;
        foreach (var (fragment, applies) in conditions)
        {
            if (applies)
            {
                (applying ??= new List<string>(conditions.Length)).Add(fragment);
            }
        }

        return applying is null ? string.Empty : "WHERE " + string.Join(" AND ", applying);
    }
}
