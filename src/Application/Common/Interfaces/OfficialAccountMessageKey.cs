namespace CleanChat.Application.Common.Interfaces;

/// <summary>Where a page of messages ends: the order is MsgTime (Unix ms), then MsgKey.</summary>
public sealed record OfficialAccountMessageKey(long MsgTimeMs, string MsgKey);
