namespace CleanChat.Domain.Callbacks;

/// <summary>Normalises Tencent's <c>OptPlatform</c> spellings, including the variants seen in the wild.</summary>
public static class OptPlatforms
{
    public static OptPlatform Parse(string? text) => text switch
    {
        "RESTAPI" => OptPlatform.RestApi,
        "Web" => OptPlatform.Web,
        "Android" => OptPlatform.Android,
        "iOS" or "IOS" => OptPlatform.Ios,
        "Windows" => OptPlatform.Windows,
        "Mac" or "macOS" => OptPlatform.Mac,
        "iPad" or "IPad" => OptPlatform.IPad,
        _ => OptPlatform.Unknown,
    };

    /// <summary>The canonical spelling, as Tencent's documentation writes it.</summary>
    public static string Name(OptPlatform platform) => platform switch
    {
        OptPlatform.RestApi => "RESTAPI",
        OptPlatform.Web => "Web",
        OptPlatform.Android => "Android",
        OptPlatform.Ios => "iOS",
        OptPlatform.Windows => "Windows",
        OptPlatform.Mac => "Mac",
        OptPlatform.IPad => "iPad",
        _ => "Unknown",
    };
}
