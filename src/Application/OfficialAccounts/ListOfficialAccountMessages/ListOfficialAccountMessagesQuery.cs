using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;
using CleanChat.Domain.OfficialAccounts;
using MediatR;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccountMessages;

/// <summary>One account's messages, newest first, one page at a time.</summary>
public sealed record ListOfficialAccountMessagesQuery(OfficialAccountMessageFilter Filter, int PageSize, string? PageToken)
    : IRequest<Page<OfficialAccountMessage>>;
