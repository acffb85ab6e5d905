using FluentValidation;

namespace CleanChat.Application.Common.Paging;

/// <summary>AIP-158 page sizes: 0 means the default, larger than the maximum is lowered to it.</summary>
public static class PageSizes
{
    public const int Default = 50;
    public const int Max = 1000;

    public static int Effective(int requested) => requested == 0 ? Default : Math.Min(requested, Max);

    public static IRuleBuilderOptions<T, int> ValidPageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.GreaterThanOrEqualTo(0).WithMessage("page_size must not be negative.").OverridePropertyName("page_size");
}
