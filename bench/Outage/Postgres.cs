using System.Diagnostics;

namespace CleanChat.Outage;

/// <summary>
/// The throwaway PostgreSQL server bench/outage.sh started with scripts/postgres.sh: stopped hard and started again
/// with its own pg_ctl (as the postgres user when this runs as root, as that script does), and queried with psql.
/// </summary>
internal sealed class Postgres(string pgCtl, string dataFolder, string connInfo)
{
    /// <summary>
    /// <c>pg_ctl stop -m immediate</c>: the server quits without a checkpoint, dropping every connection, as in a crash
    /// or a machine lost; it recovers from its WAL when started.
    /// </summary>
    public void StopImmediately() => Run(AsServer(pgCtl, "stop", "-D", dataFolder, "-m", "immediate", "-w", "-t", "60"));

    /// <summary>
    /// Starts the server again on the same data folder, port and settings, and returns once it accepts connections.
    /// <c>restart</c>, not <c>start</c>: on a stopped server it starts with the command line postmaster.opts kept from
    /// the first start (port, socket folder, fsync), which scripts/postgres.sh chose.
    /// </summary>
    public void Start() =>
        Run(AsServer(pgCtl, "restart", "-D", dataFolder, "-w", "-t", "120", "-l", Path.Combine(Path.GetDirectoryName(dataFolder)!, "server.log")));

    /// <summary>One query's rows, each a list of its columns (psql's unaligned output, tab-separated).</summary>
    public IReadOnlyList<string[]> Query(string sql)
    {
        var output = Run(["psql", "-X", "-q", "-t", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", connInfo, "-c", sql]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).ToList();
    }

    private static string[] AsServer(params string[] command) =>
        Environment.IsPrivilegedProcess ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static string Run(string[] command)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        // Both pipes read at once, so neither fills up and blocks the other.
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {error.Result}");
    }
}
