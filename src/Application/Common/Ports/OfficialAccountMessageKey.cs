namespace CleanChat.Application.Common.Ports;

/// <summary>Where a page of messages ends: the order is MsgTime (Unix ms), then MsgKey.</summary>
public sealed record OfficialAccountMessageKey(long MsgTimeMs, string MsgKey);
