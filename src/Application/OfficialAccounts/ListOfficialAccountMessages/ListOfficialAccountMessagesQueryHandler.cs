using System.Globalization;
using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccountMessages;

public sealed class ListOfficialAccountMessagesQueryHandler(IOfficialAccountReader reader)
    : IRequestHandler<ListOfficialAccountMessagesQuery, Page<OfficialAccountMessage>>
{
    public async Task<Page<OfficialAccountMessage>> Handle(ListOfficialAccountMessagesQuery request, CancellationToken cancellationToken)
    {
        var size = PageSizes.Effective(request.PageSize);
        var rows = await reader.ListMessagesAsync(request.Filter, DecodeCursor(request), size + 1, cancellationToken);
        return Pages.FromRowsPlusOne(rows, size, last => PageTokens.Encode(
            request.Filter, last.MsgTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), last.MsgKey));
    }

    internal static OfficialAccountMessageKey? DecodeCursor(ListOfficialAccountMessagesQuery request) =>
        request.PageToken is { Length: > 0 } token
        && PageTokens.Decode(token, request.Filter) is [var time, var msgKey]
        && long.TryParse(time, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var msgTimeMs)
            ? new OfficialAccountMessageKey(msgTimeMs, msgKey)
            : null;
}
