using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Grpc.Net.Client;

namespace CleanChat.GrpcApi.Tests;

/// <summary>Both hosts on one SQLite file: events go in through the webhook and come out over gRPC.</summary>
public sealed class HostsFixture : IDisposable
{
    public HostsFixture()
    {
        Webhook = new WebhookApiFactory(Database);
        Grpc = new GrpcApiFactory(Database);
        Channel = Grpc.CreateChannel();
        Events = new WebhookEventService.WebhookEventServiceClient(Channel);
        Accounts = new OfficialAccountService.OfficialAccountServiceClient(Channel);
    }

    public TemporaryDatabase Database { get; } = new();
    public WebhookApiFactory Webhook { get; }
    public GrpcApiFactory Grpc { get; }
    public GrpcChannel Channel { get; }
    public WebhookEventService.WebhookEventServiceClient Events { get; }
    public OfficialAccountService.OfficialAccountServiceClient Accounts { get; }

    public async Task PostDestroyedAsync(string officialAccount, long eventTime)
    {
        var response = await Webhook.PostAsync(TencentSample.Query, TencentSample.DestroyedBody(officialAccount, eventTime));
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        Channel.Dispose();
        Grpc.Dispose();
        Webhook.Dispose();
        Database.Dispose();
    }
}
