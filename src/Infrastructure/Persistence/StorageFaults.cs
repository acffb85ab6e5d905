using System.Data.Common;
using CleanChat.Application.Common.Exceptions;

namespace CleanChat.Infrastructure.Persistence;

/// <summary>
/// Where a read's database error becomes the application's exception. Every ADO.NET provider's errors derive
/// from <see cref="DbException"/> (<c>SqliteException</c>, <c>NpgsqlException</c>), so no engine type leaves
/// Infrastructure.
/// </summary>
internal static class StorageFaults
{
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (DbException e)
        {
            throw Unreadable(e);
        }
    }

    private static StorageUnavailableException Unreadable(DbException e) =>
        new("The event store cannot be read right now; retry later.", e);
}
