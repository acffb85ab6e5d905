using FluentValidation;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// Rules every callback shares. A callback we refuse is usually lost for good (Tencent does not retry
/// "after" callbacks by default), so validators refuse only what Tencent cannot have sent.
/// </summary>
public abstract class CallbackValidator<TBody> : AbstractValidator<Callback<TBody>>
    where TBody : ICallbackBody
{
    /// <summary>The largest Unix-millisecond value a <see cref="DateTimeOffset"/> can hold (9999-12-31).</summary>
    public const long MaxEventTimeMs = 253_402_300_799_999;

    protected CallbackValidator()
    {
        // One message per field: the first rule a field breaks.
        RuleLevelCascadeMode = CascadeMode.Stop;
        // The query always names the command. Some bodies do not repeat it (ContentCallback.ResultNotify, and
        // Push.*, whose command is inside each of its Events), so a body without one is taken under the query's;
        // a body that names another command is not Tencent's.
        RuleFor(c => c.Body.CallbackCommand)
            .Equal(c => c.Envelope.CallbackCommand, StringComparer.Ordinal)
            .WithMessage(c => $"CallbackCommand in the body ('{c.Body.CallbackCommand}') differs from the query's ('{c.Envelope.CallbackCommand}').")
            .When(c => c.Body.CallbackCommand is not null)
            .OverridePropertyName("CallbackCommand");
    }

    /// <summary>EventTime: required, Unix milliseconds, after 1970 and representable.</summary>
    protected void RuleForEventTime(System.Linq.Expressions.Expression<Func<Callback<TBody>, long?>> eventTime) =>
        RuleFor(eventTime)
            .NotNull().WithMessage("EventTime is required.")
            .InclusiveBetween(1, MaxEventTimeMs).WithMessage("EventTime must be a positive Unix time in milliseconds.")
            .OverridePropertyName("EventTime");

    /// <summary>An official account ID: present, bounded, printable (Tencent's IDs are printable ASCII).</summary>
    protected void RuleForOfficialAccount(System.Linq.Expressions.Expression<Func<Callback<TBody>, string?>> officialAccount) =>
        RuleFor(officialAccount)
            .NotEmpty().WithMessage("Official_Account is required.")
            .MaximumLength(Domain.OfficialAccounts.OfficialAccountIds.MaxLength)
            .WithMessage($"Official_Account must be at most {Domain.OfficialAccounts.OfficialAccountIds.MaxLength} characters.")
            .Must(id => id is null || !id.Any(char.IsControl)).WithMessage("Official_Account must not contain control characters.")
            .OverridePropertyName("Official_Account");

    /// <summary>A user account (owner, operator): present, bounded. Tencent's UserIDs are short strings.</summary>
    protected void RuleForAccount(System.Linq.Expressions.Expression<Func<Callback<TBody>, string?>> account, string field) =>
        RuleFor(account)
            .NotNull().WithMessage($"{field} is required.")
            .MaximumLength(MaxAccountLength).WithMessage($"{field} must be at most {MaxAccountLength} characters.")
            .OverridePropertyName(field);

    /// <summary>Generous next to Tencent's own limits (UserID 32 bytes); the point is a bound, not a rule.</summary>
    public const int MaxAccountLength = 256;

    /// <summary>Tencent limits names to 150 bytes; we keep headroom so a genuine event is never refused.</summary>
    public const int MaxNameLength = 1024;
}
