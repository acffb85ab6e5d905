using CleanChat.Application.Common.Interfaces;
using CleanChat.Domain.OfficialAccounts;
using CleanChat.Infrastructure.Persistence;
using Dapper;

namespace CleanChat.Infrastructure.OfficialAccounts;

/// <summary>Reads accounts, on either engine: the SQL is common to both. A list's WHERE clause has one constant fragment per filter that is set (<see cref="SqlWhere"/>).</summary>
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

    private const string SelectAccounts = $"SELECT {Columns} FROM official_accounts";
    private const string InKeyOrder = "ORDER BY sdk_app_id, official_account LIMIT @Limit";

    // Row values compare (app, account) pairs in key order, so the page continues right after the token's key.
    private const string AfterKey = "(sdk_app_id, official_account) > (@AfterApp, @AfterAccount)";
    private const string SdkAppIdIs = "sdk_app_id = @SdkAppId";
    private const string OwnerAccountIs = "owner_account = @OwnerAccount";
    private const string StateIs = "state = @State";
    private const string DestroyTimeFrom = "destroy_time >= @DestroyTimeStart";
    private const string DestroyTimeUntil = "destroy_time < @DestroyTimeEnd";
    private const string Destroyed = "destroy_time IS NOT NULL";

    public Task<OfficialAccount?> GetAsync(string sdkAppId, string officialAccount, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<OfficialAccountRow>(new CommandDefinition(
                SelectOne, new { SdkAppId = sdkAppId, OfficialAccount = officialAccount }, cancellationToken: cancellationToken));
            return row?.ToDomain();
        });

    public Task<IReadOnlyList<OfficialAccount>> ListAsync(
        OfficialAccountFilter filter, OfficialAccountKey? after, int limit, CancellationToken cancellationToken) =>
        StorageFaults.ReadAsync<IReadOnlyList<OfficialAccount>>(async () =>
        {
            await using var connection = await connections.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<OfficialAccountRow>(new CommandDefinition(
                ListSql(filter, after is not null), Parameters(filter, after, limit), cancellationToken: cancellationToken));
            return rows.Select(r => r.ToDomain()).ToList();
        });

    /// <summary>The statement a list runs; public so a test can show its query plan.</summary>
    public static string ListSql(OfficialAccountFilter f, bool hasCursor)
    {
        var where = SqlWhere.Of(
            (AfterKey, hasCursor),
            (SdkAppIdIs, f.SdkAppId is not null),
            (OwnerAccountIs, f.OwnerAccount is not null),
            (StateIs, f.State is not null),
            // Any destroy-time range, even an open one, asks for destroyed accounts only.
            (Destroyed, f.DestroyTime is not null && f.DestroyTime.StartMs is null),
            (DestroyTimeFrom, f.DestroyTime?.StartMs is not null),
            (DestroyTimeUntil, f.DestroyTime?.EndMs is not null));
        return $"{SelectAccounts} {where} {InKeyOrder}";
    }

    public static object Parameters(OfficialAccountFilter filter, OfficialAccountKey? after, int limit) => new
    {
        AfterApp = after?.SdkAppId,
        AfterAccount = after?.OfficialAccount,
        filter.SdkAppId,
        filter.OwnerAccount,
        State = (int?)filter.State,
        DestroyTimeStart = filter.DestroyTime?.StartMs,
        DestroyTimeEnd = filter.DestroyTime?.EndMs,
        Limit = limit,
    };
}
