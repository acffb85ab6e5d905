using System.Diagnostics;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// Real file-system faults for the tests that need them: a small tmpfs mounted over a folder (root only; callers check
/// with <c>Prerequisite.Require</c>), filled to the last byte, mounted read-only, unmounted.
/// </summary>
internal static class FileSystems
{
    /// <summary>Mounts a 2 MB tmpfs over <paramref name="folder"/>, read-only if asked.</summary>
    public static void MountSmall(string folder, bool readOnly = false) =>
        Run("mount", "-t", "tmpfs", "-o", readOnly ? "size=2m,ro" : "size=2m", "tmpfs", folder);

    public static void RemountWritable(string folder) => Run("mount", "-o", "remount,rw", folder);

    public static void Unmount(string folder) => Run("umount", folder);

    /// <summary>Writes <paramref name="path"/> until the file system refuses, in smaller and smaller pieces down to one byte: not a page is left.</summary>
    public static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        for (var size = 64 * 1024; size >= 1; size /= 2)
        {
            var chunk = new byte[size];
            try
            {
                while (true)
                {
                    file.Write(chunk);
                    file.Flush(flushToDisk: true);
                }
            }
            catch (IOException)
            {
                // ENOSPC at this size: try a smaller piece.
            }
        }
    }

    /// <summary>Runs a system command (mount, chattr...), failing with its error output unless it exits 0 within 10 s.</summary>
    public static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
