namespace CleanChat.Application.Common.Filters;

/// <summary>One account's messages, optionally only those whose MsgTime falls in <see cref="MsgTime"/>.</summary>
public sealed record OfficialAccountMessageFilter(string SdkAppId, string OfficialAccount, TimeRange? MsgTime = null);
