namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// One statement that reads a row by an integer key, run the way its engine reads best
/// (<see cref="ISqlConnectionFactory.CreatePointRead{TRow}"/>). Database errors surface as the provider's
/// <see cref="System.Data.Common.DbException"/>.
/// </summary>
public interface IPointRead<TRow> : IDisposable
{
    /// <summary>The first row for <paramref name="key"/>, or null.</summary>
    ValueTask<TRow?> ReadAsync(long key, CancellationToken cancellationToken);
}
