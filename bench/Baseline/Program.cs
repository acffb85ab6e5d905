using System.Text.Json;
using CleanChat.Baseline;

// Parses the webhook like CleanChat does (query, whole body, JSON into the body record) and answers
// Tencent's OK without storing anything: the ceiling CleanChat's ingest is measured against.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrpc();
var app = builder.Build();

var ok = """{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"""u8.ToArray();
var fail = """{"ActionStatus":"FAIL","ErrorInfo":"bad request","ErrorCode":40000}"""u8.ToArray();

app.MapPost("/webhook", async (HttpContext http) =>
{
    var request = http.Request;
    var body = await JsonSerializer.DeserializeAsync<DestroyedBody>(request.Body, cancellationToken: http.RequestAborted);
    var valid = request.Query.ContainsKey("SdkAppid") && request.Query.ContainsKey("CallbackCommand")
        && body is { OfficialAccount.Length: > 0, EventTime: > 0 };
    http.Response.StatusCode = valid ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
    http.Response.ContentType = "application/json";
    await http.Response.Body.WriteAsync(valid ? ok : fail, http.RequestAborted);
});
app.MapGrpcService<NoopWebhookEventService>();
app.Run();
