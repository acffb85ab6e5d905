using CleanChat.Domain.Callbacks;

namespace CleanChat.Application.Tests;

public sealed class OptPlatformsTests
{
    [Theory]
    [InlineData("RESTAPI", OptPlatform.RestApi)]
    [InlineData("Web", OptPlatform.Web)]
    [InlineData("Android", OptPlatform.Android)]
    [InlineData("iOS", OptPlatform.Ios)]
    [InlineData("IOS", OptPlatform.Ios)]
    [InlineData("Windows", OptPlatform.Windows)]
    [InlineData("Mac", OptPlatform.Mac)]
    [InlineData("macOS", OptPlatform.Mac)]
    [InlineData("iPad", OptPlatform.IPad)]
    [InlineData("IPad", OptPlatform.IPad)]
    [InlineData("Unknown", OptPlatform.Unknown)]
    [InlineData("Unkown", OptPlatform.Unknown)]
    [InlineData("PlayStation", OptPlatform.Unknown)]
    [InlineData("", OptPlatform.Unknown)]
    [InlineData(null, OptPlatform.Unknown)]
    public void Parses_every_documented_and_observed_spelling(string? text, OptPlatform expected) =>
        Assert.Equal(expected, OptPlatforms.Parse(text));

    [Theory]
    [InlineData("IOS", "iOS")]
    [InlineData("macOS", "Mac")]
    [InlineData("IPad", "iPad")]
    [InlineData("whatever", "Unknown")]
    public void Names_a_platform_as_the_documentation_spells_it(string text, string expected) =>
        Assert.Equal(expected, OptPlatforms.Name(OptPlatforms.Parse(text)));
}
