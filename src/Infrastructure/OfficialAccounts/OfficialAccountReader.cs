using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Dapper;

namespace CleanChat.Infrastructure.OfficialAccounts;

public sealed class OfficialAccountReader(ISqlConnectionFactory connections) : IOfficialAccountReader
{
    private const string Columns = """
        sdk_app_id AS SdkAppId, official_account AS OfficialAccount, state AS State,
        owner_account AS OwnerAccount, name AS Name, create_time AS CreateTime, destroy_time AS DestroyTime,
        last_event_time AS LastEventTime, last_event_sequence AS LastEventSequence
        """;

    private const string SelectOne = $"""
        SELECT {Columns} FROM official_accounts
        WHERE sdk_app_id = @SdkAppId AND official_account = @OfficialAccount
        """;

    // Row values compare (app, account) pairs in key order, so the page continues right after the token's key.
    private const string SelectPage = $"""
        SELECT {Columns} FROM official_accounts
        WHERE (@AfterApp IS NULL OR (sdk_app_id, official_account) > (@AfterApp, @AfterAccount))
          AND (@SdkAppId IS NULL OR sdk_app_id = @SdkAppId)
          AND (@OwnerAccount IS NULL OR owner_account = @OwnerAccount)
          AND (@State IS NULL OR state = @State)
        ORDER BY sdk_app_id, official_account
        LIMIT @Limit
        """;

    public async Task<OfficialAccount?> GetAsync(string sdkAppId, string officialAccount, CancellationToken cancellationToken)
    {
        using var connection = connections.OpenConnection();
        var row = await connection.QuerySingleOrDefaultAsync<OfficialAccountRow>(new CommandDefinition(
            SelectOne, new { SdkAppId = sdkAppId, OfficialAccount = officialAccount }, cancellationToken: cancellationToken));
        return row?.ToDomain();
    }

    public async Task<IReadOnlyList<OfficialAccount>> ListAsync(
        OfficialAccountFilter filter, OfficialAccountKey? after, int limit, CancellationToken cancellationToken)
    {
        using var connection = connections.OpenConnection();
        var rows = await connection.QueryAsync<OfficialAccountRow>(new CommandDefinition(SelectPage, new
        {
            AfterApp = after?.SdkAppId,
            AfterAccount = after?.OfficialAccount,
            filter.SdkAppId,
            filter.OwnerAccount,
            State = (int?)filter.State,
            Limit = limit,
        }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDomain()).ToList();
    }
}
