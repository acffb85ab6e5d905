using FluentValidation;

namespace CleanChat.Application.Common.Filters;

public static class TimeRangeRules
{
    /// <summary>A range whose end is before its start matches nothing, so it is a caller's mistake.</summary>
    public static IRuleBuilderOptions<T, TimeRange?> Ordered<T>(this IRuleBuilder<T, TimeRange?> rule, string field) =>
        rule.Must(r => r?.StartMs is not { } start || r.EndMs is not { } end || start <= end)
            .WithMessage($"{field}.end_time must not be before {field}.start_time.")
            .OverridePropertyName(field);
}
