using CleanChat.TestSupport;
using System.Net;
using Grpc.Health.V1;

namespace CleanChat.GrpcApi.Tests;

public sealed class OperationsTests : IDisposable
{
    private readonly HostsFixture _hosts = new();

    public void Dispose() => _hosts.Dispose();

    [Fact]
    public async Task Health_answers_not_serving_while_the_database_cannot_be_read_and_serving_again_after()
    {
        var health = new Health.HealthClient(_hosts.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        Directory.Move(((TemporaryDatabase)_hosts.Database).Folder, ((TemporaryDatabase)_hosts.Database).Folder + "-away");
        HealthCheckResponse.Types.ServingStatus during;
        try
        {
            during = (await health.CheckAsync(new HealthCheckRequest())).Status;
        }
        finally
        {
            Directory.Move(((TemporaryDatabase)_hosts.Database).Folder + "-away", ((TemporaryDatabase)_hosts.Database).Folder);
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, during);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Exposes_metrics_and_http_probes()
    {
        using var client = _hosts.Grpc.CreateClient();

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
