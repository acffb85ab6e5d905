namespace CleanChat.Infrastructure.Spool;

/// <summary>The spool file cannot be used at start-up; the message names the file and what an operator does.</summary>
internal sealed class SpoolUnusableException(string message, Exception? cause = null) : Exception(message, cause);
