namespace CleanChat.Application.Common.Interfaces;

public sealed record OfficialAccountKey(string SdkAppId, string OfficialAccount);
