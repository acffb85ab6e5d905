namespace CleanChat.Application.Callbacks;

/// <summary>The body is not JSON, or a field has a type Tencent would not send. Answered 400.</summary>
public sealed class CallbackBodyException(string field, string message) : Exception(message)
{
    /// <summary>Tencent's name of the offending field, or <c>$</c> for the body as a whole.</summary>
    public string Field { get; } = field;
}
