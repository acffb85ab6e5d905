using System.Linq.Expressions;
using System.Text.Json;
using CleanChat.Domain.OfficialAccounts;
using FluentValidation;

namespace CleanChat.Application.Callbacks;

/// <summary>
/// Rules every callback shares. A callback we refuse is usually lost for good (Tencent does not retry
/// "after" callbacks by default), so validators refuse only what Tencent cannot have sent: a field the callback's
/// state cannot do without that is missing, a value of a shape Tencent never sends, or a size far past Tencent's
/// own limits. Each field gets at most one message, and a list at most one for all its entries.
/// </summary>
public abstract class CallbackValidator<TBody> : AbstractValidator<Callback<TBody>>
    where TBody : ICallbackBody
{
    /// <summary>The largest Unix-millisecond value a <see cref="DateTimeOffset"/> can hold (9999-12-31).</summary>
    public const long MaxEventTimeMs = 253_402_300_799_999;

    /// <summary>Generous next to Tencent's own limits (UserID 32 bytes); the point is a bound, not a rule.</summary>
    public const int MaxAccountLength = 256;

    /// <summary>Tencent limits names to 150 bytes; we keep headroom so a genuine event is never refused.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Tencent limits the introduction to 400 bytes and the face URL and organization to 500; headroom again.</summary>
    public const int MaxProfileTextLength = 4096;

    /// <summary>
    /// Most entries in a list of subscribers or messages. Tencent's REST calls take at most 100 subscribers and 10
    /// messages, and a client acts for one user; ten times the larger is still a bound, so one request cannot make a
    /// transaction of a million rows.
    /// </summary>
    public const int MaxListLength = 1000;

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
    protected void RuleForEventTime(Expression<Func<Callback<TBody>, long?>> eventTime) =>
        RuleFor(eventTime)
            .NotNull().WithMessage("EventTime is required.")
            .InclusiveBetween(1, MaxEventTimeMs).WithMessage("EventTime must be a positive Unix time in milliseconds.")
            .OverridePropertyName("EventTime");

    /// <summary>An official account ID: present, bounded, printable (Tencent's IDs are printable ASCII).</summary>
    protected void RuleForOfficialAccount(Expression<Func<Callback<TBody>, string?>> officialAccount) =>
        RuleFor(officialAccount)
            .NotEmpty().WithMessage("Official_Account is required.")
            .MaximumLength(OfficialAccountIds.MaxLength)
            .WithMessage($"Official_Account must be at most {OfficialAccountIds.MaxLength} characters.")
            .Must(id => id is null || !id.Any(char.IsControl)).WithMessage("Official_Account must not contain control characters.")
            .OverridePropertyName("Official_Account");

    /// <summary>A user account (owner, operator): present, bounded. Tencent's UserIDs are short strings.</summary>
    protected void RuleForAccount(Expression<Func<Callback<TBody>, string?>> account, string field) =>
        RuleFor(account)
            .NotNull().WithMessage($"{field} is required.")
            .MaximumLength(MaxAccountLength).WithMessage($"{field} must be at most {MaxAccountLength} characters.")
            .OverridePropertyName(field);

    /// <summary>
    /// A field Tencent documents but the state does not depend on (<c>Operator_Account</c>, say): bounded when present,
    /// never required, since refusing an event without it would lose the event.
    /// </summary>
    protected void RuleForOptionalText(Expression<Func<Callback<TBody>, string?>> text, string field, int maxLength) =>
        RuleFor(text)
            .MaximumLength(maxLength).WithMessage($"{field} must be at most {maxLength} characters.")
            .OverridePropertyName(field);

    /// <summary><c>Name</c>: present, bounded.</summary>
    protected void RuleForName(Expression<Func<Callback<TBody>, string?>> name) =>
        RuleFor(name)
            .NotNull().WithMessage("Name is required.")
            .MaximumLength(MaxNameLength).WithMessage($"Name must be at most {MaxNameLength} characters.")
            .OverridePropertyName("Name");

    /// <summary><c>SubscribeAccountList</c>: present, at most <see cref="MaxListLength"/> entries, each naming a user.</summary>
    protected void RuleForSubscribeAccountList(Expression<Func<Callback<TBody>, IReadOnlyList<SubscribeAccountEntry?>?>> list) =>
        RuleForList(list, "SubscribeAccountList", (entry, at) => entry switch
        {
            null => $"{at} must be an object.",
            { SubscriberAccount: null or "" } => $"{at}.Subscriber_Account is required.",
            { SubscriberAccount.Length: > MaxAccountLength } => $"{at}.Subscriber_Account must be at most {MaxAccountLength} characters.",
            _ => null,
        });

    /// <summary>A list the state is made from: present, bounded, and the first entry <paramref name="problem"/> finds fault with named.</summary>
    protected void RuleForList<TEntry>(
        Expression<Func<Callback<TBody>, IReadOnlyList<TEntry>?>> list, string field, Func<TEntry, string, string?> problem) =>
        RuleFor(list).Custom((entries, context) =>
        {
            if (entries is null)
            {
                context.AddFailure(field, $"{field} is required.");
                return;
            }

            if (entries.Count > MaxListLength)
            {
                context.AddFailure(field, $"{field} must have at most {MaxListLength} entries, not {entries.Count}.");
                return;
            }

            for (var i = 0; i < entries.Count; i++)
            {
                if (problem(entries[i], $"{field}[{i}]") is { } message)
                {
                    context.AddFailure(field, message);
                    return;
                }
            }
        });

    /// <summary>
    /// <c>MsgBody</c>, when present: an array of message elements, each an object with a string <c>MsgType</c> and,
    /// if it has one, an object <c>MsgContent</c> (33527). Unknown element types pass: Tencent may add some.
    /// </summary>
    protected void RuleForMessageBody(Expression<Func<Callback<TBody>, JsonElement?>> msgBody) =>
        RuleFor(msgBody).Custom((body, context) =>
        {
            if (body is not { ValueKind: not JsonValueKind.Null } element)
            {
                return;
            }

            if (element.ValueKind != JsonValueKind.Array)
            {
                context.AddFailure("MsgBody", "MsgBody must be an array of message elements.");
                return;
            }

            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                var problem = item.ValueKind != JsonValueKind.Object ? $"MsgBody[{i}] must be an object."
                    : !item.TryGetProperty("MsgType", out var type) ? $"MsgBody[{i}].MsgType is required."
                    : type.ValueKind != JsonValueKind.String ? $"MsgBody[{i}].MsgType must be a string."
                    : item.TryGetProperty("MsgContent", out var content) && content.ValueKind != JsonValueKind.Object ? $"MsgBody[{i}].MsgContent must be an object."
                    : null;
                if (problem is not null)
                {
                    context.AddFailure("MsgBody", problem);
                    return;
                }

                i++;
            }
        });
}
