using CleanChat.Application.Common.Ports;

namespace CleanChat.Application.Callbacks;

/// <summary>A delivery recorded in the log, and what Tencent is answered for it.</summary>
public readonly record struct CallbackResult(AppendResult Appended, CallbackAnswer Answer);
