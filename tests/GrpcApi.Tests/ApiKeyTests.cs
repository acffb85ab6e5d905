using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Microsoft.Extensions.Options;

namespace CleanChat.GrpcApi.Tests;

public sealed class ApiKeyTests : IDisposable
{
    private const string Key = "test-key-0123456789abcdef";
    private const string OtherKey = "second-key-0123456789abcdef";

    private readonly HostsFixture _hosts = new(new Dictionary<string, string?>
    {
        ["Grpc:ApiKeys:0"] = Key,
        ["Grpc:ApiKeys:1"] = OtherKey,
    });

    public void Dispose() => _hosts.Dispose();

    private static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    [Fact]
    public async Task Refuses_a_call_without_a_key()
    {
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_wrong_key_and_does_not_echo_it()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _hosts.Events.ListWebhookEventsAsync(
            new ListWebhookEventsRequest(), Bearer("wrong-key-0123456789abcdef")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.DoesNotContain("wrong-key", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_watch_without_a_key()
    {
        using var call = _hosts.Events.WatchWebhookEvents(new WatchWebhookEventsRequest());

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Accepts_any_configured_key()
    {
        await _hosts.PostDestroyedAsync(TencentSample.OfficialAccount, TencentSample.EventTime);

        var first = await _hosts.Events.ListWebhookEventsAsync(new ListWebhookEventsRequest(), Bearer(Key));
        var second = await _hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = 1 }, Bearer(OtherKey));

        Assert.Single(first.Events);
        Assert.Equal(TencentSample.OfficialAccount, second.OfficialAccount);
    }

    [Fact]
    public async Task Leaves_health_and_reflection_open()
    {
        var health = await new Health.HealthClient(_hosts.Channel).CheckAsync(new HealthCheckRequest());
        using var reflection = new ServerReflection.ServerReflectionClient(_hosts.Channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains(reflection.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "cleanchat.v1.WebhookEventService");
    }

    [Fact]
    public async Task Stops_at_start_up_on_a_short_key_naming_its_position_but_not_its_value()
    {
        using var database = new TemporaryDatabase();
        var settings = new Dictionary<string, string?> { ["Grpc:ApiKeys:0"] = "tiny secret" };

        var error = Assert.IsType<OptionsValidationException>(await StartupRefusal.OfGrpcApiAsync(database, settings));

        Assert.Contains("Grpc:ApiKeys:0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tiny secret", error.Message, StringComparison.Ordinal);
    }
}
