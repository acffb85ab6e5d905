using CleanChat.Application.Common.Filters;
using MediatR;

namespace CleanChat.Application.Events.GetWebhookEventStats;

/// <param name="SdkAppId">Null: every app.</param>
/// <param name="EventTime">Null: every event.</param>
public sealed record GetWebhookEventStatsQuery(string? SdkAppId, TimeRange? EventTime) : IRequest<WebhookEventStats>;
