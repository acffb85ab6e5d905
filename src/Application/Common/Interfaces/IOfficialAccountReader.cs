using CleanChat.Domain.OfficialAccounts;

namespace CleanChat.Application.Common.Interfaces;

public interface IOfficialAccountReader
{
    Task<OfficialAccount?> GetAsync(string sdkAppId, string officialAccount, CancellationToken cancellationToken);

    /// <summary>In (app, account) order, after the given key when one is given.</summary>
    Task<IReadOnlyList<OfficialAccount>> ListAsync(OfficialAccountFilter filter, OfficialAccountKey? after, int limit, CancellationToken cancellationToken);
}
