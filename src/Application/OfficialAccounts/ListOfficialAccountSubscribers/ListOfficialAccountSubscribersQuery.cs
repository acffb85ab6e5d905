using CleanChat.Application.Common.Ports;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccountSubscribers;

/// <summary>Who follows one account now, in subscriber order, one page at a time.</summary>
public sealed record ListOfficialAccountSubscribersQuery(OfficialAccountKey Account, int PageSize, string? PageToken)
    : IRequest<Page<OfficialAccountSubscriber>>;
