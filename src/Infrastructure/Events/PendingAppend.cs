using System.Diagnostics;
using CleanChat.Application.Common.Ports;
using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Infrastructure.Events;

/// <summary>An append waiting for its group commit, and the caller waiting for its answer.</summary>
internal sealed class PendingAppend(WebhookEvent webhookEvent, StateChange? change)
{
    public WebhookEvent Event { get; } = webhookEvent;
    public StateChange? Change { get; } = change;
    public ActivityContext? Caller { get; } = Activity.Current?.Context;
    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
