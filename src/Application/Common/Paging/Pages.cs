namespace CleanChat.Application.Common.Paging;

public static class Pages
{
    /// <summary>
    /// A page from <paramref name="rows"/> read with one row more than <paramref name="size"/>: that extra row
    /// tells whether another page follows, without a COUNT. The token is made from the page's last item.
    /// </summary>
    public static Page<T> FromRowsPlusOne<T>(IReadOnlyList<T> rows, int size, Func<T, string> tokenAfter)
    {
        if (rows.Count <= size)
        {
            return new Page<T>(rows, null);
        }

        var page = rows.Take(size).ToArray();
        return new Page<T>(page, tokenAfter(page[^1]));
    }
}
