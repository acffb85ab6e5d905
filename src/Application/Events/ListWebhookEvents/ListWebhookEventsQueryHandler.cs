using System.Globalization;
using CleanChat.Application.Common.Interfaces;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.Events;
using MediatR;

namespace CleanChat.Application.Events.ListWebhookEvents;

public sealed class ListWebhookEventsQueryHandler(IWebhookEventReader reader)
    : IRequestHandler<ListWebhookEventsQuery, Page<WebhookEvent>>
{
    public async Task<Page<WebhookEvent>> Handle(ListWebhookEventsQuery request, CancellationToken cancellationToken)
    {
        var size = PageSizes.Effective(request.PageSize);
        var before = DecodeCursor(request) ?? long.MaxValue;

        // One extra row tells whether another page follows, without a COUNT.
        var rows = await reader.ListAsync(request.Filter, before, size + 1, cancellationToken);
        if (rows.Count <= size)
        {
            return new Page<WebhookEvent>(rows, null);
        }

        var page = rows.Take(size).ToArray();
        var last = page[^1].Sequence.ToString(CultureInfo.InvariantCulture);
        return new Page<WebhookEvent>(page, PageTokens.Encode(request.Filter, last));
    }

    /// <summary>The sequence a page continues below; null when there is no token or it is invalid.</summary>
    internal static long? DecodeCursor(ListWebhookEventsQuery request) =>
        request.PageToken is { Length: > 0 } token
        && PageTokens.Decode(token, request.Filter) is [var last]
        && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
}
