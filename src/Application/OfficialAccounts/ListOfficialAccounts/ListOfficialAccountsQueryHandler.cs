using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccounts;

public sealed class ListOfficialAccountsQueryHandler(IOfficialAccountReader reader)
    : IRequestHandler<ListOfficialAccountsQuery, Page<OfficialAccount>>
{
    public async Task<Page<OfficialAccount>> Handle(ListOfficialAccountsQuery request, CancellationToken cancellationToken)
    {
        var size = PageSizes.Effective(request.PageSize);
        var rows = await reader.ListAsync(request.Filter, DecodeCursor(request), size + 1, cancellationToken);
        return Pages.FromRowsPlusOne(rows, size,
            last => PageTokens.Encode(request.Filter, last.SdkAppId, last.OfficialAccountId));
    }

    internal static OfficialAccountKey? DecodeCursor(ListOfficialAccountsQuery request) =>
        request.PageToken is { Length: > 0 } token && PageTokens.Decode(token, request.Filter) is [var app, var account]
            ? new OfficialAccountKey(app, account)
            : null;
}
