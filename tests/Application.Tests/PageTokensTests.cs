using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;

namespace CleanChat.Application.Tests;

public sealed class PageTokensTests
{
    private static readonly WebhookEventFilter Filter = new("1400000000", "@TOA#_a", null);

    [Fact]
    public void Round_trips_the_last_key_for_the_same_filters()
    {
        var token = PageTokens.Encode(Filter, "42");

        Assert.Equal(["42"], PageTokens.Decode(token, Filter with { })!);
    }

    [Fact]
    public void Refuses_a_token_made_for_other_filters()
    {
        var token = PageTokens.Encode(Filter, "42");

        Assert.Null(PageTokens.Decode(token, Filter with { OfficialAccount = "@TOA#_b" }));
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("e30")]
    [InlineData("!!!")]
    public void Refuses_a_malformed_token(string token) => Assert.Null(PageTokens.Decode(token, Filter));

    [Theory]
    [InlineData(0, PageSizes.Default)]
    [InlineData(1, 1)]
    [InlineData(1000, 1000)]
    [InlineData(5000, PageSizes.Max)]
    public void Zero_means_the_default_and_large_sizes_are_lowered(int requested, int effective) =>
        Assert.Equal(effective, PageSizes.Effective(requested));
}
