using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Ports;
using MediatR;

namespace CleanChat.Application.Events.GetWebhookEventStats;

/// <summary>One grouped read per (command, platform) pair, folded here into the two breakdowns.</summary>
public sealed class GetWebhookEventStatsQueryHandler(IWebhookEventReader reader)
    : IRequestHandler<GetWebhookEventStatsQuery, WebhookEventStats>
{
    public async Task<WebhookEventStats> Handle(GetWebhookEventStatsQuery request, CancellationToken cancellationToken)
    {
        var groups = await reader.CountAsync(
            new WebhookEventFilter(SdkAppId: request.SdkAppId, EventTime: request.EventTime), cancellationToken);

        return new WebhookEventStats(
            groups.Sum(g => g.Count),
            Breakdown(groups, g => g.CallbackCommand),
            Breakdown(groups, g => g.OptPlatform ?? string.Empty),
            groups.Min(g => g.FirstEventTime),
            groups.Max(g => g.LastEventTime),
            await reader.GetFloorAsync(cancellationToken));
    }

    private static KeyCount[] Breakdown(IEnumerable<WebhookEventGroupCount> groups, Func<WebhookEventGroupCount, string> key) =>
        groups.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new KeyCount(g.Key, g.Sum(c => c.Count)))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToArray();
}
