using CleanChat.Application.Common.Paging;
using FluentValidation;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccountSubscribers;

public sealed class ListOfficialAccountSubscribersQueryValidator : AbstractValidator<ListOfficialAccountSubscribersQuery>
{
    public ListOfficialAccountSubscribersQueryValidator()
    {
        RuleFor(q => q.Account.SdkAppId).NotEmpty().WithMessage("sdk_app_id is required.").OverridePropertyName("sdk_app_id");
        RuleFor(q => q.Account.OfficialAccount).NotEmpty().WithMessage("official_account is required.").OverridePropertyName("official_account");
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.PageToken)
            .Must((q, token) => string.IsNullOrEmpty(token) || ListOfficialAccountSubscribersQueryHandler.DecodeCursor(q) is not null)
            .WithMessage("page_token is not valid for this query (malformed, or made for another account).")
            .OverridePropertyName("page_token");
    }
}
