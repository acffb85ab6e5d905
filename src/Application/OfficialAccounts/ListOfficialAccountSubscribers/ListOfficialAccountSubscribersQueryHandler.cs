using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccountSubscribers;

public sealed class ListOfficialAccountSubscribersQueryHandler(IOfficialAccountReader reader)
    : IRequestHandler<ListOfficialAccountSubscribersQuery, Page<OfficialAccountSubscriber>>
{
    public async Task<Page<OfficialAccountSubscriber>> Handle(ListOfficialAccountSubscribersQuery request, CancellationToken cancellationToken)
    {
        var size = PageSizes.Effective(request.PageSize);
        var rows = await reader.ListSubscribersAsync(request.Account, DecodeCursor(request), size + 1, cancellationToken);
        return Pages.FromRowsPlusOne(rows, size, last => PageTokens.Encode(request.Account, last.SubscriberAccount));
    }

    internal static string? DecodeCursor(ListOfficialAccountSubscribersQuery request) =>
        request.PageToken is { Length: > 0 } token && PageTokens.Decode(token, request.Account) is [var subscriber]
            ? subscriber
            : null;
}
