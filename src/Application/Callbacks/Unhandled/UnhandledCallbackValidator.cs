namespace CleanChat.Application.Callbacks.Unhandled;

/// <summary>Only the shared rule: the body's command must be the query's.</summary>
public sealed class UnhandledCallbackValidator : CallbackValidator<UnhandledCallback>;
