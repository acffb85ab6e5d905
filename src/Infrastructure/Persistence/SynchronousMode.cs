namespace CleanChat.Infrastructure.Persistence;

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that keep WAL consistent.</summary>
public enum SynchronousMode
{
    Full,
    Normal,
}
