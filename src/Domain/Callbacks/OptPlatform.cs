namespace CleanChat.Domain.Callbacks;

/// <summary>The client platform Tencent reports in the <c>OptPlatform</c> query parameter.</summary>
public enum OptPlatform
{
    Unknown = 0,
    RestApi,
    Web,
    Android,
    Ios,
    Windows,
    Mac,
    IPad,
}
