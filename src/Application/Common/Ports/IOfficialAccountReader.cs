using CleanChat.Domain.OfficialAccounts;

using CleanChat.Application.Common.Filters;
namespace CleanChat.Application.Common.Ports;

/// <summary>The state folded from the official-account callbacks. Storage faults surface as <see cref="Exceptions.StorageUnavailableException"/>.</summary>
public interface IOfficialAccountReader
{
    Task<OfficialAccount?> GetAsync(string sdkAppId, string officialAccount, CancellationToken cancellationToken);

    /// <summary>In (app, account) order, after the given key when one is given.</summary>
    Task<IReadOnlyList<OfficialAccount>> ListAsync(OfficialAccountFilter filter, OfficialAccountKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>Who follows <paramref name="account"/> now, in subscriber order, after <paramref name="afterSubscriber"/> when given.</summary>
    Task<IReadOnlyList<OfficialAccountSubscriber>> ListSubscribersAsync(
        OfficialAccountKey account, string? afterSubscriber, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The account's messages whose send has arrived, newest first (by MsgTime, then MsgKey), before
    /// <paramref name="before"/> when given.
    /// </summary>
    Task<IReadOnlyList<OfficialAccountMessage>> ListMessagesAsync(
        OfficialAccountMessageFilter filter, OfficialAccountMessageKey? before, int limit, CancellationToken cancellationToken);
}
