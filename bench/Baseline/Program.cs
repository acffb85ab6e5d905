using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using CleanChat.Baseline;
using CleanChat.Baseline.Reference;

// Parses the webhook like CleanChat does (query, whole body, JSON into the fields CleanChat binds for its command) and
// answers Tencent's OK without storing anything: the ceiling CleanChat's ingest is measured against, for the
// destroyed-account load and for the traffic mix.
// With Reference:Engine set (Sqlite or Postgres), the durable reference instead: the same parse, then the event and
// its account row written by a hand-written group commit with CleanChat's SQL on CleanChat's schema, answered OK
// once committed; it knows only the destroyed-account callback, so it runs only that load. What CleanChat does beyond that (authentication, MediatR, validation, logging, metrics, the feed)
// is what the durable reference leaves out.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrpc();
var writer = (builder.Configuration.GetSection(ReferenceOptions.Section).Get<ReferenceOptions>() ?? new ReferenceOptions()).OpenWriter();
if (writer is not null)
{
    builder.Services.AddSingleton(sp => new ReferenceGroupCommit(writer, sp.GetRequiredService<ILogger<ReferenceGroupCommit>>()));
    builder.Services.AddHostedService(sp => sp.GetRequiredService<ReferenceGroupCommit>());
}

var app = builder.Build();

var ok = """{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"""u8.ToArray();
var fail = """{"ActionStatus":"FAIL","ErrorInfo":"bad request","ErrorCode":40000}"""u8.ToArray();
var notStored = """{"ActionStatus":"FAIL","ErrorInfo":"The event could not be stored; please retry.","ErrorCode":50000}"""u8.ToArray();

if (writer is null)
{
    app.MapPost("/webhook", async (HttpContext http) =>
    {
        var request = http.Request;
        // Each command parsed into the fields CleanChat binds for it and checked for the ones it requires: the
        // destroyed callback, the other official-account callbacks, and everything else, which CleanChat records raw.
        var command = (string?)request.Query["CallbackCommand"];
        var valid = request.Query.ContainsKey("SdkAppid") && command is not null && command switch
        {
            "OfficialAccount.CallbackAfterOfficialAccountDestroyed" =>
                await JsonSerializer.DeserializeAsync<DestroyedBody>(request.Body, cancellationToken: http.RequestAborted)
                    is { OfficialAccount.Length: > 0, EventTime: > 0 },
            _ when command.StartsWith("OfficialAccount.", StringComparison.Ordinal) =>
                await JsonSerializer.DeserializeAsync<OfficialAccountBody>(request.Body, cancellationToken: http.RequestAborted)
                    is { } body && body.HasRequiredFields(command),
            _ => await JsonSerializer.DeserializeAsync<UnhandledBody>(request.Body, cancellationToken: http.RequestAborted) is not null,
        };
        http.Response.StatusCode = valid ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(valid ? ok : fail, http.RequestAborted);
    });
}
else
{
    var groupCommit = app.Services.GetRequiredService<ReferenceGroupCommit>();
    app.MapPost("/webhook", async (HttpContext http) =>
    {
        var request = http.Request;
        // The event log keeps the body verbatim, so it is read whole (as CleanChat reads it) and the same record is
        // parsed from those bytes.
        var payload = await ReadBodyAsync(request.BodyReader, http.RequestAborted);
        var body = JsonSerializer.Deserialize<DestroyedBody>(payload);
        var query = request.Query;
        var status = StatusCodes.Status400BadRequest;
        if (query.TryGetValue("SdkAppid", out var sdkAppId) && query.TryGetValue("CallbackCommand", out var command)
            && body is { OfficialAccount: { Length: > 0 } account, EventTime: long eventTime and > 0 })
        {
            var committed = await groupCommit.AppendAsync(new DestroyedEvent(
                sdkAppId.ToString(), command.ToString(), account, body.OwnerAccount, body.Name, eventTime,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), (string?)query["ClientIP"], (string?)query["OptPlatform"],
                Encoding.UTF8.GetString(payload)));
            status = committed ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(status switch { StatusCodes.Status200OK => ok, StatusCodes.Status400BadRequest => fail, _ => notStored },
            http.RequestAborted);
    });
    // The group commit's counters, read by bench/run.sh before and after the measured run.
    app.MapGet("/metrics", () => groupCommit.Metrics());
}

app.MapGrpcService<NoopWebhookEventService>();
app.Run();

static async Task<byte[]> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
{
    while (true)
    {
        var result = await reader.ReadAsync(cancellationToken);
        if (result.IsCompleted)
        {
            var bytes = result.Buffer.ToArray();
            reader.AdvanceTo(result.Buffer.End);
            return bytes;
        }

        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
    }
}
