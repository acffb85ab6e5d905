using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CleanChat.TestSupport;

namespace CleanChat.Resilience.Tests;

/// <summary>
/// One host (WebhookApi or GrpcApi) running as a real process from its build output, in Production,
/// on loopback ports chosen now. Its console output is kept for assertions and failure messages.
/// </summary>
public sealed class HostProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);

    /// <summary>What ASP.NET Core logs once the host has started: its endpoints listen and its hosted services run.</summary>
    public const string StartedLine = "Application started.";

    /// <summary>What ASP.NET Core logs when it begins to stop (on SIGTERM): it takes no new request from then on.</summary>
    public const string StoppingLine = "Application is shutting down";

    private readonly Process _process;
    private readonly string _project;
    private readonly (string Key, string Value)[] _settings;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Signal)> _awaitedLines = [];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, string project, Uri address, (string Key, string Value)[] settings)
    {
        _process = process;
        _project = project;
        _settings = settings;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public Task<int> Exited => _exited.Task;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts WebhookApi on <paramref name="databasePath"/>; returns once the process runs (not yet serving).</summary>
    public static HostProcess StartWebhookApi(string databasePath, params (string Key, string Value)[] settings) =>
        StartWebhookApiWith([("ConnectionStrings__CleanChat", $"Data Source={databasePath}"), .. settings]);

    /// <summary>Starts WebhookApi on <paramref name="database"/>, of either engine; returns once the process runs.</summary>
    public static HostProcess StartWebhookApi(ITestDatabase database, params (string Key, string Value)[] settings) =>
        StartWebhookApiWith([.. StorageOn(database), ("Storage__Spool__Path", TestSpools.NewPath()), .. settings]);

    /// <summary>Starts GrpcApi; <see cref="Address"/> is its HTTP/2 gRPC endpoint, <paramref name="metrics"/> its HTTP/1.1 one.</summary>
    public static HostProcess StartGrpcApi(string databasePath, out Uri metrics) =>
        StartGrpcApiWith([("ConnectionStrings__CleanChat", $"Data Source={databasePath}")], out metrics);

    /// <summary>Starts GrpcApi on <paramref name="database"/>, of either engine; as the other overload otherwise.</summary>
    public static HostProcess StartGrpcApi(ITestDatabase database, out Uri metrics) =>
        StartGrpcApiWith(StorageOn(database), out metrics);

    /// <summary>The settings that put a host on <paramref name="database"/>: its engine and its connection string.</summary>
    private static (string Key, string Value)[] StorageOn(ITestDatabase database) =>
        [("Storage__Engine", database.Engine), ("ConnectionStrings__CleanChat", database.ConnectionString)];

    private static HostProcess StartWebhookApiWith((string Key, string Value)[] settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        return Start("WebhookApi", address, [
            ("Kestrel__Endpoints__Http__Url", address.ToString()),
            ("Webhook__SdkAppIds__0", TencentSample.SdkAppId),
            .. settings,
        ]);
    }

    private static HostProcess StartGrpcApiWith((string Key, string Value)[] settings, out Uri metrics)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        metrics = new Uri($"http://127.0.0.1:{FreePort()}");
        return Start("GrpcApi", address, [
            ("Kestrel__Endpoints__Grpc__Url", address.ToString()),
            ("Kestrel__Endpoints__Metrics__Url", metrics.ToString()),
            .. settings,
        ]);
    }

    private static HostProcess Start(string project, Uri address, (string Key, string Value)[] settings)
    {
        var dll = HostDll(project);
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // Tests on the same machine must not share anything through the user's settings.
        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process, project, address, settings);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Exited += (_, _) => host._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// WebhookApi's executable with an operator verb (<c>backup</c>, <c>restore-archive</c>) and <paramref name="settings"/>
    /// as environment variables, run to its end: its exit code and what it wrote to standard output and error.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunWebhookApiVerbAsync(
        string[] arguments, params (string Key, string Value)[] settings)
    {
        var dll = HostDll("WebhookApi");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[dll, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new TimeoutException($"dotnet {string.Join(' ', info.ArgumentList)} did not exit within {StartTimeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// A new process of the same host with the same settings, on the same ports, as a supervisor restarts a node that
    /// died; this one must have exited.
    /// </summary>
    public HostProcess StartAgain() =>
        Exited.IsCompleted ? Start(_project, Address, _settings) : throw new InvalidOperationException("The host is still running.");

    /// <summary>Each host's console output, for a failure message; the end of it when long (a fault logs one error per batch).</summary>
    public static string LogsOf(params (string Name, HostProcess Host)[] hosts) =>
        string.Join("\n", hosts.Select(h =>
        {
            var output = h.Host.Output;
            const int Keep = 20_000;
            return output.Length <= Keep
                ? $"--- {h.Name} output ---\n{output}"
                : $"--- {h.Name} output, last {Keep} of {output.Length} characters ---\n{output[^Keep..]}";
        }));

    /// <summary>
    /// Waits until the host logs that it has started (its endpoints listen, its hosted services run), then checks that
    /// <c>/healthz</c> answers 200 on <paramref name="probe"/> (HTTP/1.1), by default <see cref="Address"/>; fails at
    /// once if the process exits first.
    /// </summary>
    public async Task WaitUntilServingAsync(Uri? probe = null)
    {
        var started = WhenLoggedAsync(StartedLine);
        try
        {
            await Task.WhenAny(started, Exited).WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The host did not start within {StartTimeout}:\n{Output}");
        }

        if (!started.IsCompleted)
        {
            throw new InvalidOperationException($"The host exited with {Exited.Result} before serving:\n{Output}");
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync(new Uri(probe ?? Address, "/healthz"));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The host started, and /healthz answered {(int)response.StatusCode}:\n{Output}");
        }
    }

    /// <summary>
    /// Completes once the host's output holds a line containing <paramref name="text"/>: one already there or a later one,
    /// or with <paramref name="laterOnly"/> only one written from now on.
    /// </summary>
    public Task WhenLoggedAsync(string text, bool laterOnly = false)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (!laterOnly && _output.ToString().Contains(text, StringComparison.Ordinal))
            {
                signal.SetResult();
            }
            else
            {
                _awaitedLines.Add((text, signal));
            }
        }

        return signal.Task;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        await SignalTerminateAsync();
        return await WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and returns without waiting for the host to stop.</summary>
    public async Task SignalTerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(ExitTimeout);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {Id} failed with exit code {kill.ExitCode}.");
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        try
        {
            var code = await Exited.WaitAsync(ExitTimeout);
            await _process.WaitForExitAsync(); // drains the redirected output
            return code;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The host did not exit within {ExitTimeout}:\n{Output}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(ExitTimeout);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var (text, signal) in _awaitedLines)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    signal.TrySetResult();
                }
            }

            _awaitedLines.RemoveAll(a => a.Signal.Task.IsCompleted);
        }
    }

    private static int FreePort() => LoopbackPorts.Free();

    /// <summary>The host's build output, built by the project reference in the same configuration as the tests.</summary>
    private static string HostDll(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CleanChat.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No CleanChat.sln above {testOutput.FullName}.");
        }

        var dll = Path.Combine(root.FullName, "src", project, "bin", configuration, framework, $"CleanChat.{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first.", dll);
    }
}
