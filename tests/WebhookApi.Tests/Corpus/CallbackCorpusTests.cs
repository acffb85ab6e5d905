using System.Globalization;
using System.Net;
using System.Text.Json;
using CleanChat.Contracts.V1;
using CleanChat.TestSupport;
using Google.Protobuf.WellKnownTypes;

namespace CleanChat.WebhookApi.Tests.Corpus;

/// <summary>
/// Every body Tencent documents, posted as Tencent delivers it (signed, the query naming the command) and then
/// delivered again: answered OK both times, stored once with its body byte for byte, and read back over gRPC with
/// the common fields it carries. A line added to <c>Data/tencent-callback-samples.jsonl</c> is one more case.
/// Nothing here knows the storage engine: a subclass picks it through its <see cref="CorpusHosts"/>.
/// </summary>
public abstract class CallbackCorpusTests(CorpusHosts hosts)
{
    private const string EventTimeField = "EventTime";

    public static TheoryData<int, string> Samples
    {
        get
        {
            var data = new TheoryData<int, string>();
            foreach (var sample in TencentCorpus.Samples)
            {
                data.Add(sample.Line, $"{sample.Command} ({sample.Source})");
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Samples), MemberType = typeof(CallbackCorpusTests))]
    public async Task Accepts_stores_once_and_reads_back_each_documented_sample(int line, string sample)
    {
        var corpus = TencentCorpus.Sample(line);
        var before = (await StoredAsync(corpus.Command)).Select(e => e.Sequence).ToHashSet();

        await PostAndExpectOkAsync(corpus, sample);
        await PostAndExpectOkAsync(corpus, sample);

        var added = (await StoredAsync(corpus.Command)).Where(e => !before.Contains(e.Sequence)).ToList();
        var stored = Assert.Single(added);
        var read = await hosts.Events.GetWebhookEventAsync(new GetWebhookEventRequest { Sequence = stored.Sequence });
        Assert.Equal(corpus.Body, read.PayloadJson);
        Assert.Equal(corpus.Command, read.CallbackCommand);
        Assert.Equal(TencentSample.SdkAppId, read.SdkAppId);
        var carried = CommonFields.Carried(corpus.Body);
        Assert.Equal(carried, CommonFields.Of(read));
        await AssertListedByEachFieldAsync(read.Sequence, carried);
    }

    /// <summary>The fields are stored as values the lists filter on, not only echoed back.</summary>
    private async Task AssertListedByEachFieldAsync(long sequence, CommonFields carried)
    {
        if (carried.EventTime is { } eventTime)
        {
            var millisecond = new TimeRange { StartTime = eventTime, EndTime = eventTime.ToDateTimeOffset().AddMilliseconds(1).ToTimestamp() };
            Assert.Contains(sequence, await SequencesAsync(new ListWebhookEventsRequest { EventTime = millisecond }));
        }

        if (carried.OfficialAccount.Length > 0)
        {
            Assert.Contains(sequence, await SequencesAsync(new ListWebhookEventsRequest { OfficialAccount = carried.OfficialAccount }));
        }

        if (carried.OwnerAccount.Length > 0)
        {
            Assert.Contains(sequence, await SequencesAsync(new ListWebhookEventsRequest { OwnerAccount = carried.OwnerAccount }));
        }
    }

    private async Task PostAndExpectOkAsync(CorpusSample corpus, string sample)
    {
        using var response = await hosts.PostSignedAsync(corpus.Command, corpus.Body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{sample} was answered {(int)response.StatusCode}: {text}");
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal("OK", answer.GetProperty("ActionStatus").GetString());
        Assert.Equal(0, answer.GetProperty("ErrorCode").GetInt32());
    }

    /// <summary>Every event of this app and command, read page by page over gRPC.</summary>
    private async Task<List<WebhookEvent>> StoredAsync(string command)
    {
        var events = new List<WebhookEvent>();
        var request = new ListWebhookEventsRequest { SdkAppId = TencentSample.SdkAppId, CallbackCommand = command, PageSize = 1000 };
        do
        {
            var page = await hosts.Events.ListWebhookEventsAsync(request);
            events.AddRange(page.Events);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return events;
    }

    private async Task<List<long>> SequencesAsync(ListWebhookEventsRequest request)
    {
        request.SdkAppId = TencentSample.SdkAppId;
        request.PageSize = 1000;
        var page = await hosts.Events.ListWebhookEventsAsync(request);
        return [.. page.Events.Select(e => e.Sequence)];
    }

    /// <summary>The fields the event model records from any body, as the gRPC API returns them (empty or unset when absent).</summary>
    private sealed record CommonFields(string OfficialAccount, string OwnerAccount, string OperatorAccount, Timestamp? EventTime)
    {
        public static CommonFields Of(WebhookEvent read) =>
            new(read.OfficialAccount, read.OwnerAccount, read.OperatorAccount, read.EventTime);

        /// <summary>What the body carries at its top level: an ID as text or a number, EventTime as a number or a string of digits.</summary>
        public static CommonFields Carried(string body)
        {
            var root = JsonDocument.Parse(body).RootElement;
            return new(Id(root, "Official_Account"), Id(root, "Owner_Account"), Id(root, "Operator_Account"), EventTimeOf(root));
        }

        private static string Id(JsonElement root, string name) =>
            !root.TryGetProperty(name, out var value) ? string.Empty
            : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
            : value.GetString()!;

        private static Timestamp? EventTimeOf(JsonElement root)
        {
            if (!root.TryGetProperty(EventTimeField, out var value))
            {
                return null;
            }

            var ms = value.ValueKind == JsonValueKind.String
                ? long.Parse(value.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
                : value.GetInt64();
            return DateTimeOffset.FromUnixTimeMilliseconds(ms).ToTimestamp();
        }
    }
}
