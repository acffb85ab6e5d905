using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;
using FluentValidation;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccounts;

public sealed class ListOfficialAccountsQueryValidator : AbstractValidator<ListOfficialAccountsQuery>
{
    public ListOfficialAccountsQueryValidator()
    {
        RuleFor(q => q.Filter.State).IsInEnum().WithMessage("state is not a known state.").OverridePropertyName("state");
        RuleFor(q => q.Filter.DestroyTime).Ordered("destroy_time");
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.PageToken)
            .Must((q, token) => string.IsNullOrEmpty(token) || ListOfficialAccountsQueryHandler.DecodeCursor(q) is not null)
            .WithMessage("page_token is not valid for this query (malformed, or made with other filters).")
            .OverridePropertyName("page_token");
    }
}
