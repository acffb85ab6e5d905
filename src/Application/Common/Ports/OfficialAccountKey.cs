namespace CleanChat.Application.Common.Ports;

public sealed record OfficialAccountKey(string SdkAppId, string OfficialAccount);
