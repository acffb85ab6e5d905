using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CleanChat.TestSupport;

namespace CleanChat.WebhookApi.Tests;

[Collection(AloneCollection.Name)]
public sealed class OperationsTests : IDisposable
{
    private const string Scope = "{otel_scope_name=\"CleanChat\"";

    private readonly TemporaryDatabase _database = new();
    private readonly WebhookApiFactory _host;

    public OperationsTests() => _host = new WebhookApiFactory(_database);

    public void Dispose()
    {
        _host.Dispose();
        _database.Dispose();
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Reports_alive_and_ready_on_a_writable_database(string path)
    {
        using var response = await _host.CreateClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Exposes_webhook_outcomes_refusals_and_commits_for_prometheus()
    {
        (await _host.PostAsync(TencentSample.Query, TencentSample.Body)).EnsureSuccessStatusCode();
        (await _host.PostAsync(TencentSample.Query, TencentSample.Body)).EnsureSuccessStatusCode();
        await _host.PostAsync(TencentSample.QueryFor(TencentSample.Command, sdkAppId: "1400000001"), TencentSample.Body);
        await _host.PostAsync(TencentSample.QueryFor("Some.Unknown.Command"), "not json");

        var scrape = await _host.CreateClient().GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains($"cleanchat_webhooks_received_total{Scope},callback_command=\"{TencentSample.Command}\",outcome=\"ok\"}} 2", scrape, StringComparison.Ordinal);
        Assert.Contains($"cleanchat_webhooks_received_total{Scope},callback_command=\"{TencentSample.Command}\",outcome=\"refused\"}} 1", scrape, StringComparison.Ordinal);
        // A command nobody registered is counted, but never becomes a label value of its own.
        Assert.Contains($"cleanchat_webhooks_received_total{Scope},callback_command=\"other\",outcome=\"refused\"}} 1", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("Some.Unknown.Command", scrape, StringComparison.Ordinal);
        Assert.Contains($"cleanchat_webhooks_refused_total{Scope},reason=\"UnknownApp\"}} 1", scrape, StringComparison.Ordinal);
        Assert.Contains($"cleanchat_webhooks_refused_total{Scope},reason=\"MalformedRequest\"}} 1", scrape, StringComparison.Ordinal);
        Assert.Contains($"cleanchat_events_duplicates_total{Scope}}} 1", scrape, StringComparison.Ordinal);
        Assert.Contains($"cleanchat_store_batch_size_count{Scope}}} 2", scrape, StringComparison.Ordinal);
        Assert.Contains($"cleanchat_store_commit_duration_seconds_count{Scope},outcome=\"committed\"}} 2", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_a_webhook_from_http_through_mediatr_to_its_commit()
    {
        // Other tests run alongside: this request carries a trace of its own, as an upstream caller's would.
        var traceId = ActivityTraceId.CreateRandom();
        var stopped = new ConcurrentBag<Activity>();
        // The writer thread ends the commit's span after it has answered the callers: the answer can come first.
        var commitStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "CleanChat" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                stopped.Add(activity);
                if (activity.DisplayName == "commit" && activity.Links.Any(l => l.Context.TraceId == traceId))
                {
                    commitStopped.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhook" + TencentSample.Query, UriKind.Relative))
        {
            Content = new StringContent(TencentSample.DestroyedBody("@TOA#_traced", 1), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        (await _host.CreateClient().SendAsync(request)).EnsureSuccessStatusCode();
        await commitStopped.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var mediatr = Assert.Single(stopped, a => a.TraceId == traceId && a.Source.Name == "CleanChat");
        Assert.Equal("mediatr Callback<OfficialAccountDestroyed>", mediatr.DisplayName);
        Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", mediatr.Parent?.OperationName);
        var commit = Assert.Single(stopped, a => a.DisplayName == "commit" && a.Links.Any(l => l.Context.SpanId == mediatr.SpanId));
        Assert.Equal(traceId, commit.Links.Single(l => l.Context.SpanId == mediatr.SpanId).Context.TraceId);
    }
}
