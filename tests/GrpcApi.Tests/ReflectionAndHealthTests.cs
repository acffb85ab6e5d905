using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace CleanChat.GrpcApi.Tests;

/// <summary>Does over the wire what <c>grpcurl list</c> and <c>grpcurl describe</c> do.</summary>
public sealed class ReflectionAndHealthTests : IDisposable
{
    private readonly HostsFixture _hosts = new();

    public void Dispose() => _hosts.Dispose();

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        var client = new ServerReflection.ServerReflectionClient(_hosts.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current;
    }

    [Fact]
    public async Task Lists_both_cleanchat_services()
    {
        var response = await AskAsync(new ServerReflectionRequest { ListServices = "" });

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("cleanchat.v1.WebhookEventService", names);
        Assert.Contains("cleanchat.v1.OfficialAccountService", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
    }

    [Theory]
    [InlineData("cleanchat.v1.WebhookEventService", "GetWebhookEvent", "cleanchat.v1.WebhookEvent")]
    [InlineData("cleanchat.v1.OfficialAccountService", "GetOfficialAccount", "cleanchat.v1.OfficialAccount")]
    public async Task Serves_descriptors_that_describe_each_service(string service, string method, string output)
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = service });

        // Build the files the way grpcurl does: from the bytes the server sent, dependencies first.
        var protos = response.FileDescriptorResponse.FileDescriptorProto.Select(b => b.ToByteArray()).ToList();
        var files = FileDescriptor.BuildFromByteStrings(
            OrderDependenciesFirst(protos).Select(ByteString.CopyFrom).ToList());
        var described = files.SelectMany(f => f.Services).Single(s => s.FullName == service);

        Assert.Equal(output, described.FindMethodByName(method).OutputType.FullName);
    }

    [Fact]
    public async Task Health_answers_serving()
    {
        var health = new Health.HealthClient(_hosts.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    private static IEnumerable<byte[]> OrderDependenciesFirst(List<byte[]> protos)
    {
        var parsed = protos.Select(p => (Bytes: p, Proto: FileDescriptorProto.Parser.ParseFrom(p))).ToList();
        var emitted = new HashSet<string>();
        while (emitted.Count < parsed.Count)
        {
            foreach (var (bytes, proto) in parsed.Where(p => !emitted.Contains(p.Proto.Name)))
            {
                if (proto.Dependency.All(d => emitted.Contains(d) || parsed.All(p => p.Proto.Name != d)))
                {
                    emitted.Add(proto.Name);
                    yield return bytes;
                }
            }
        }
    }
}
