using System.Net;
using CleanChat.TestSupport;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CleanChat.Resilience.Tests;

public sealed class GrpcHealthTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Reports_not_serving_while_the_database_cannot_be_read_and_serves_metrics_over_http1()
    {
        using var host = HostProcess.StartGrpcApi(_database.FilePath, out var metrics);
        await host.WaitUntilServingAsync(metrics);
        using var channel = GrpcChannel.ForAddress(host.Address);
        var health = new Health.HealthClient(channel);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var before = (await health.CheckAsync(new HealthCheckRequest())).Status;
        Directory.Move(_database.Folder, _database.Folder + "-away");
        HealthCheckResponse.Types.ServingStatus during;
        try
        {
            during = (await health.CheckAsync(new HealthCheckRequest())).Status;
        }
        finally
        {
            Directory.Move(_database.Folder + "-away", _database.Folder);
        }

        var after = (await health.CheckAsync(new HealthCheckRequest())).Status;
        using var scrape = await http.GetAsync(new Uri(metrics, "/metrics"));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, before);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, during);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, after);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal(new Version(1, 1), scrape.Version);
        Assert.Contains("kestrel", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.TerminateAsync());
    }
}
