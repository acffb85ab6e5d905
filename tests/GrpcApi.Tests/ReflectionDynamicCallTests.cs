using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Reflection.V1;

namespace CleanChat.GrpcApi.Tests;

/// <summary>
/// What grpcurl does against a server it has no proto files for: it asks reflection (v1 first) for the
/// files, builds descriptors from the bytes it gets, and encodes and decodes calls from those alone.
/// </summary>
public sealed class ReflectionDynamicCallTests : IDisposable
{
    private const string Service = "cleanchat.v1.WebhookEventService";

    private readonly HostsFixture _hosts = new();

    public void Dispose() => _hosts.Dispose();

    [Fact]
    public async Task Lists_services_over_reflection_v1()
    {
        var response = await AskAsync(new ServerReflectionRequest { ListServices = "" });

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains(Service, names);
        Assert.Contains("cleanchat.v1.OfficialAccountService", names);
    }

    [Fact]
    public async Task Describes_the_event_service_over_reflection_v1_with_every_method()
    {
        var service = await DescribeAsync(Service);

        var methods = service.Methods.ToDictionary(m => m.Name);
        Assert.Equal(
            ["GetWebhookEvent", "GetWebhookEventStats", "ListWebhookEvents", "WatchWebhookEvents"],
            methods.Keys.Order(StringComparer.Ordinal));
        Assert.True(methods["WatchWebhookEvents"].IsServerStreaming);
        Assert.Equal("cleanchat.v1.WebhookEvent", methods["WatchWebhookEvents"].OutputType.FullName);
        Assert.Equal("cleanchat.v1.WebhookEventStats", methods["GetWebhookEventStats"].OutputType.FullName);
        Assert.Equal("cleanchat.v1.TimeRange", methods["ListWebhookEvents"].InputType.FindFieldByName("event_time").MessageType.FullName);
    }

    [Fact]
    public async Task Calls_a_method_built_only_from_the_descriptors_the_server_returned()
    {
        await _hosts.PostDestroyedAsync("@TOA#_a", 1);
        await _hosts.PostDestroyedAsync("@TOA#_b", 2);
        await _hosts.PostDestroyedAsync("@TOA#_b", 3);
        var service = await DescribeAsync(Service);
        var list = service.FindMethodByName("ListWebhookEvents");

        var request = Encode(list.InputType, ("official_account", "@TOA#_b"), ("page_size", 10));
        var method = new Method<byte[], byte[]>(MethodType.Unary, service.FullName, list.Name, RawBytes, RawBytes);
        var response = await _hosts.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), request);
        var events = DecodeRepeated(list.OutputType.FindFieldByName("events"), response);

        Assert.Equal(
            [(3L, "@TOA#_b"), (2L, "@TOA#_b")],
            events.Select(e => ((long)(ulong)e["sequence"], (string)e["official_account"])));
    }

    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(b => b, b => b);

    /// <summary>Encodes scalar fields by the numbers and types the descriptor gives.</summary>
    private static byte[] Encode(MessageDescriptor type, params (string Field, object Value)[] fields)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (name, value) in fields)
        {
            var field = type.FindFieldByName(name);
            switch (field.FieldType)
            {
                case FieldType.String:
                    output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                    output.WriteString((string)value);
                    break;
                case FieldType.Int32:
                    output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                    output.WriteInt32((int)value);
                    break;
                default:
                    throw new NotSupportedException($"{name} is {field.FieldType}");
            }
        }

        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>Every element of a repeated message field, each as its string and varint fields by name.</summary>
    private static List<Dictionary<string, object>> DecodeRepeated(FieldDescriptor repeated, byte[] message)
    {
        var elements = new List<Dictionary<string, object>>();
        var input = new CodedInputStream(message);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == repeated.FieldNumber)
            {
                elements.Add(DecodeScalars(repeated.MessageType, input.ReadBytes().ToByteArray()));
            }
            else
            {
                input.SkipLastField();
            }
        }

        return elements;
    }

    private static Dictionary<string, object> DecodeScalars(MessageDescriptor type, byte[] message)
    {
        var values = new Dictionary<string, object>();
        var input = new CodedInputStream(message);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var field = type.FindFieldByNumber(WireFormat.GetTagFieldNumber(tag));
            switch (field?.FieldType)
            {
                case FieldType.String:
                    values[field.Name] = input.ReadString();
                    break;
                case FieldType.Int64 or FieldType.Int32:
                    values[field.Name] = input.ReadUInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return values;
    }

    private async Task<ServiceDescriptor> DescribeAsync(string service)
    {
        var files = new Dictionary<string, ByteString>();
        Add(await AskAsync(new ServerReflectionRequest { FileContainingSymbol = service }));

        // Ask for any dependency the first answer left out, by file name, as grpcurl does.
        var missing = Missing();
        while (missing.Count > 0)
        {
            foreach (var name in missing)
            {
                Add(await AskAsync(new ServerReflectionRequest { FileByFilename = name }));
            }

            missing = Missing();
        }

        var built = FileDescriptor.BuildFromByteStrings(DependenciesFirst());
        return built.SelectMany(f => f.Services).Single(s => s.FullName == service);

        void Add(ServerReflectionResponse response)
        {
            foreach (var bytes in response.FileDescriptorResponse.FileDescriptorProto)
            {
                files[FileDescriptorProto.Parser.ParseFrom(bytes).Name] = bytes;
            }
        }

        List<string> Missing() => files.Values
            .SelectMany(b => FileDescriptorProto.Parser.ParseFrom(b).Dependency)
            .Where(d => !files.ContainsKey(d))
            .Distinct()
            .ToList();

        List<ByteString> DependenciesFirst()
        {
            var ordered = new List<ByteString>();
            var done = new HashSet<string>();
            void Visit(string name)
            {
                if (done.Add(name))
                {
                    foreach (var dependency in FileDescriptorProto.Parser.ParseFrom(files[name]).Dependency)
                    {
                        Visit(dependency);
                    }

                    ordered.Add(files[name]);
                }
            }

            foreach (var name in files.Keys)
            {
                Visit(name);
            }

            return ordered;
        }
    }

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        var client = new ServerReflection.ServerReflectionClient(_hosts.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Null(call.ResponseStream.Current.ErrorResponse);
        return call.ResponseStream.Current;
    }
}
