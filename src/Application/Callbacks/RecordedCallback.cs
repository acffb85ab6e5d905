using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks;

/// <summary>What one delivery puts in the log: its event, and the state it changes (none for a request or an unknown command).</summary>
public readonly record struct RecordedCallback(WebhookEvent Event, StateChange? Change);
