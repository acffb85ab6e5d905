using CleanChat.Domain.Events;
using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Callbacks;

/// <summary>One typed callback, read from the log rather than from Tencent: see <see cref="StoredCallbacks"/>.</summary>
public interface IStoredCallback
{
    string CallbackCommand { get; }

    StateChange? ChangeOf(WebhookEvent stored);
}
