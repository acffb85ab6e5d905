using System.Globalization;
using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using CleanChat.WebhookApi.Webhook;
using Grpc.Net.Client;

namespace CleanChat.WebhookApi.Tests.Corpus;

/// <summary>
/// Both hosts, with webhook authentication on, on one database that <see cref="CreateDatabase"/> makes: the one
/// place a storage engine is chosen. Shared by every sample of a corpus run. Started on first use rather than in
/// InitializeAsync, so a missing PostgreSQL skips the samples (SkipException inside the test) instead of failing
/// the class fixture.
/// </summary>
public abstract class CorpusHosts : IAsyncLifetime
{
    private const string Token = "corpus-token";

    private readonly Lock _gate = new();
    private ITestDatabase? _database;
    private WebhookApiFactory? _webhook;
    private GrpcApiFactory? _grpc;
    private GrpcChannel? _channel;
    private WebhookEventService.WebhookEventServiceClient? _events;

    public WebhookEventService.WebhookEventServiceClient Events
    {
        get
        {
            Start();
            return _events!;
        }
    }

    /// <summary>A new, empty database for this run; the hosts create its tables.</summary>
    protected abstract ITestDatabase CreateDatabase();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>POSTs <paramref name="body"/> as Tencent delivers <paramref name="command"/>, signed now.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string command, string body)
    {
        Start();
        var webhook = _webhook!;
        var requestTime = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var query = $"{TencentSample.QueryFor(command)}&RequestTime={requestTime}&Sign={WebhookAuthenticator.Sign(Token, requestTime)}";
        return webhook.PostAsync(query, body);
    }

    private void Start()
    {
        lock (_gate)
        {
            if (_events is not null)
            {
                return;
            }

            _database = CreateDatabase();
            _webhook = new WebhookApiFactory(_database, new Dictionary<string, string?> { ["Webhook:Token"] = Token });
            _grpc = new GrpcApiFactory(_database);
            _channel = _grpc.CreateChannel();
            _events = new WebhookEventService.WebhookEventServiceClient(_channel);
        }
    }

    public Task DisposeAsync()
    {
        _channel?.Dispose();
        _grpc?.Dispose();
        _webhook?.Dispose();
        _database?.Dispose();
        return Task.CompletedTask;
    }
}
