using System.ComponentModel.DataAnnotations;

namespace CleanChat.GrpcApi.Authentication;

/// <summary>Who may call (section <c>Grpc</c>). No keys: every caller may (the host listens on loopback by default).</summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string Section = "Grpc";
    public const int MinKeyLength = 16;

    /// <summary>Accepted keys, sent as <c>authorization: Bearer &lt;key&gt;</c>.</summary>
    public IList<string> ApiKeys { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Never echo a key: name its position only.
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            if (key.Length < MinKeyLength || key.Any(char.IsWhiteSpace))
            {
                yield return new ValidationResult(
                    $"Grpc:ApiKeys:{i} must be at least {MinKeyLength} characters with no whitespace.", [nameof(ApiKeys)]);
            }
        }
    }
}
