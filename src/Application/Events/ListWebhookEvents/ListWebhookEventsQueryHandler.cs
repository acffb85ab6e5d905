using System.Globalization;
using CleanChat.Application.Common.Ports;
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
        var cursor = DecodeCursor(request);

        // The cursor is the last sequence read: new events land above it, so a walk neither skips nor repeats one.
        var slice = request.Order == WebhookEventOrder.SequenceAscending
            ? await reader.ListAfterAsync(request.Filter, cursor ?? 0, size + 1, cancellationToken)
            : await reader.ListAsync(request.Filter, cursor ?? long.MaxValue, size + 1, cancellationToken);
        if (slice.Events.Count > size || slice.ReachedEnd)
        {
            return Pages.FromRowsPlusOne(slice.Events, size, last => Token(request, last.Sequence));
        }

        // The read stopped at the end of its window before the page was full (a filter without an index of its own):
        // the page is short, possibly empty, and the token continues where the read stopped (AIP-158 allows both).
        return new Page<WebhookEvent>(slice.Events, Token(request, slice.ReadThrough));
    }

    private static string Token(ListWebhookEventsQuery request, long sequence) =>
        PageTokens.Encode(TokenScope(request), sequence.ToString(CultureInfo.InvariantCulture));

    /// <summary>The sequence a page continues from; null when there is no token or it is invalid.</summary>
    internal static long? DecodeCursor(ListWebhookEventsQuery request) =>
        request.PageToken is { Length: > 0 } token
        && PageTokens.Decode(token, TokenScope(request)) is [var last]
        && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;

    // A token is valid only for the filters and the order it was made with.
    private static object TokenScope(ListWebhookEventsQuery request) => new { request.Filter, request.Order };
}
