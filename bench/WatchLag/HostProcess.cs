using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CleanChat.WatchLag;

/// <summary>One CleanChat host started as its own process on a loopback port chosen at run time.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="dll">The host's built assembly; its folder is the content root (appsettings.json).</param>
    /// <param name="urlKey">The Kestrel endpoint key the host's appsettings.json defines.</param>
    public static HostProcess Start(string dll, string urlKey, IEnumerable<string> settings)
    {
        var address = FreeLoopbackAddress();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.GetFullPath(dll));
        info.ArgumentList.Add($"--{urlKey}={address.ToString().TrimEnd('/')}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dll}.");
        // Drain both pipes so a chatty host never blocks on a full pipe; show only what looks wrong.
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process, address);
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    /// <summary>User plus system CPU time the process has used so far, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public double CpuSeconds(int clockTicksPerSecond) => CpuSeconds(_process.Id, clockTicksPerSecond);

    public static double CpuSeconds(int pid, int clockTicksPerSecond)
    {
        // Fields 14 and 15 (utime, stime), in clock ticks; the second field, the command name, may hold spaces.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture))
            / (double)clockTicksPerSecond;
    }

    // A port the OS just handed out is free for the next moment; good enough on loopback for a benchmark.
    public static Uri FreeLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    private static void Echo(string? line)
    {
        if (line is not null && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine("  host: " + line);
        }
    }
}
