using CleanChat.Application.Common.Filters;
using CleanChat.Application.Common.Paging;
using FluentValidation;

namespace CleanChat.Application.OfficialAccounts.ListOfficialAccountMessages;

public sealed class ListOfficialAccountMessagesQueryValidator : AbstractValidator<ListOfficialAccountMessagesQuery>
{
    public ListOfficialAccountMessagesQueryValidator()
    {
        RuleFor(q => q.Filter.SdkAppId).NotEmpty().WithMessage("sdk_app_id is required.").OverridePropertyName("sdk_app_id");
        RuleFor(q => q.Filter.OfficialAccount).NotEmpty().WithMessage("official_account is required.").OverridePropertyName("official_account");
        RuleFor(q => q.Filter.MsgTime).Ordered("msg_time");
        RuleFor(q => q.PageSize).ValidPageSize();
        RuleFor(q => q.PageToken)
            .Must((q, token) => string.IsNullOrEmpty(token) || ListOfficialAccountMessagesQueryHandler.DecodeCursor(q) is not null)
            .WithMessage("page_token is not valid for this query (malformed, or made with other filters).")
            .OverridePropertyName("page_token");
    }
}
