using FluentValidation;

namespace CleanChat.Application.OfficialAccounts.GetOfficialAccount;

public sealed class GetOfficialAccountQueryValidator : AbstractValidator<GetOfficialAccountQuery>
{
    public GetOfficialAccountQueryValidator()
    {
        RuleFor(q => q.SdkAppId).NotEmpty().WithMessage("sdk_app_id is required.").OverridePropertyName("sdk_app_id");
        RuleFor(q => q.OfficialAccount).NotEmpty().WithMessage("official_account is required.").OverridePropertyName("official_account");
    }
}
