using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccounts;

/// <summary>Accounts in (app, account) order, filtered, one page at a time.</summary>
public sealed record ListOfficialAccountsQuery(OfficialAccountFilter Filter, int PageSize, string? PageToken)
    : IRequest<Page<OfficialAccount>>;
