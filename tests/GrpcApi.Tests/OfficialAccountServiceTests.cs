using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CleanChat.GrpcApi.Tests;

public abstract class OfficialAccountServiceTests(string engine) : IDisposable
{
    private readonly HostsFixture _hosts = new(engine: engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task Returns_a_destroyed_account_with_every_field()
    {
        await _hosts.PostDestroyedAsync(TencentSample.OfficialAccount, TencentSample.EventTime);

        var account = await _hosts.Accounts.GetOfficialAccountAsync(new GetOfficialAccountRequest
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount = TencentSample.OfficialAccount,
        });

        var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(TencentSample.EventTime).ToTimestamp();
        Assert.Equal(new OfficialAccount
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount_ = TencentSample.OfficialAccount,
            OwnerAccount = "107867",
            Name = "TestOfficialAccount",
            State = OfficialAccount.Types.State.Destroyed,
            DestroyTime = eventTime,
            LastEventTime = eventTime,
            LastEventSequence = 1,
        }, account);
    }

    [SkippableFact]
    public async Task Answers_not_found_for_an_account_never_heard_of()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _hosts.Accounts.GetOfficialAccountAsync(
            new GetOfficialAccountRequest { SdkAppId = TencentSample.SdkAppId, OfficialAccount = "@TOA#_nobody" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [SkippableFact]
    public async Task Answers_invalid_argument_when_the_key_is_missing()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _hosts.Accounts.GetOfficialAccountAsync(new GetOfficialAccountRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("sdk_app_id", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("official_account", error.Status.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Pages_through_accounts_in_key_order()
    {
        foreach (var name in new[] { "@TOA#_c", "@TOA#_a", "@TOA#_b" })
        {
            await _hosts.PostDestroyedAsync(name, 1);
        }

        var first = await _hosts.Accounts.ListOfficialAccountsAsync(new ListOfficialAccountsRequest { PageSize = 2 });
        var second = await _hosts.Accounts.ListOfficialAccountsAsync(
            new ListOfficialAccountsRequest { PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(["@TOA#_a", "@TOA#_b"], first.OfficialAccounts.Select(a => a.OfficialAccount_));
        Assert.Equal(["@TOA#_c"], second.OfficialAccounts.Select(a => a.OfficialAccount_));
        Assert.Empty(second.NextPageToken);
    }
}

public sealed class SqliteOfficialAccountServiceTests() : OfficialAccountServiceTests(TestDatabases.Sqlite);

public sealed class PostgresOfficialAccountServiceTests() : OfficialAccountServiceTests(TestDatabases.Postgres);
