using System.Runtime.InteropServices;

namespace CleanChat.Infrastructure.Retention;

/// <summary>
/// Flushes a folder's entries to disk: a renamed file is durable only once its folder is. .NET has no call for it,
/// so on Unix it is open(2) and fsync(2) on the folder; Windows makes renames durable with the file itself.
/// </summary>
internal static partial class Fsync
{
    private const int ReadOnly = 0;

    public static void Folder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the folder '{path}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FileSync(fd) != 0)
            {
                throw new IOException($"Could not flush the folder '{path}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
