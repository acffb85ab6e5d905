namespace CleanChat.Infrastructure.Persistence;

/// <summary>The database could not be reached (refused, timed out, starting up); not a fault of what it holds.</summary>
public sealed class DatabaseUnreachableException(string message, Exception cause) : InvalidOperationException(message, cause);
