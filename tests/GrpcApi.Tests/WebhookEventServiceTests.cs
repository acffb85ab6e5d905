using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CleanChat.GrpcApi.Tests;

public abstract class WebhookEventServiceTests(string engine) : IDisposable
{
    private readonly HostsFixture _hosts = new(engine: engine);

    public void Dispose()
    {
        _hosts.Dispose();
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task Returns_a_posted_event_with_every_field()
    {
        var posted = await _hosts.Webhook.PostAsync(
            TencentSample.QueryFor(TencentSample.Command, optPlatform: "IOS"), TencentSample.Body);
        posted.EnsureSuccessStatusCode();

        var read = await _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = 1 });

        Assert.Equal(1, read.Sequence);
        Assert.Equal(TencentSample.SdkAppId, read.SdkAppId);
        Assert.Equal(TencentSample.Command, read.CallbackCommand);
        Assert.Equal(TencentSample.OfficialAccount, read.OfficialAccount);
        Assert.Equal("107867", read.OwnerAccount);
        Assert.Equal("TestOfficialAccount", read.Name);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(TencentSample.EventTime).ToTimestamp(), read.EventTime);
        Assert.InRange(read.ReceiveTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.Equal("127.0.0.1", read.ClientIp);
        Assert.Equal("iOS", read.OptPlatform);
        Assert.Equal("IOS", read.OptPlatformRaw);
        Assert.Equal(TencentSample.Body, read.PayloadJson);
    }

    [SkippableFact]
    public async Task Lists_a_posted_event_by_app_and_account()
    {
        await _hosts.PostDestroyedAsync(TencentSample.OfficialAccount, TencentSample.EventTime);
        await _hosts.PostDestroyedAsync("@TOA#_other", TencentSample.EventTime);

        var listed = await _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest
        {
            SdkAppId = TencentSample.SdkAppId,
            OfficialAccount = TencentSample.OfficialAccount,
        });

        var only = Assert.Single(listed.Events);
        Assert.Equal(TencentSample.OfficialAccount, only.OfficialAccount);
        Assert.Equal(1, only.Sequence);
        Assert.Empty(listed.NextPageToken);
    }

    [SkippableFact]
    public async Task Pages_through_every_event_newest_first_exactly_once()
    {
        for (var i = 1; i <= 7; i++)
        {
            await _hosts.PostDestroyedAsync($"@TOA#_{i}", i);
        }

        var seen = new List<long>();
        var request = new ListWebhookEventsRequest { SdkAppId = TencentSample.SdkAppId, PageSize = 3 };
        do
        {
            var page = await _hosts.Events.ListWebhookEventsAsync(request);
            seen.AddRange(page.Events.Select(e => e.Sequence));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([7L, 6, 5, 4, 3, 2, 1], seen);
    }

    [SkippableFact]
    public async Task Answers_not_found_for_an_unknown_sequence()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = 99 }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [SkippableTheory]
    [InlineData(0, "sequence")]
    [InlineData(-5, "sequence")]
    public async Task Answers_invalid_argument_naming_the_field(long sequence, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = sequence }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field + ":", error.Status.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refuses_a_negative_page_size_and_a_foreign_page_token()
    {
        var negative = await Assert.ThrowsAsync<RpcException>(
            () => _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest { PageSize = -1 }).ResponseAsync);
        var garbage = await Assert.ThrowsAsync<RpcException>(
            () => _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest { PageToken = "garbage" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
        Assert.Contains("page_size", negative.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, garbage.StatusCode);
        Assert.Contains("page_token", garbage.Status.Detail, StringComparison.Ordinal);
    }
}

public sealed class SqliteWebhookEventServiceTests() : WebhookEventServiceTests(TestDatabases.Sqlite);

public sealed class PostgresWebhookEventServiceTests() : WebhookEventServiceTests(TestDatabases.Postgres);
