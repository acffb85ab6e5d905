using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace CleanChat.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server in a temporary folder of its own, listening on a free loopback port with trust
/// authentication and fsync off: initdb, then pg_ctl start. <see cref="Acquire"/> hands out the one server a test
/// process shares, started on first use; <see cref="StartNew"/> a private one for a test that stops and restarts
/// it. Every server still running when the process exits is stopped (pg_ctl stop -m fast) and its folder removed.
/// </summary>
/// <remarks>
/// Needs the PostgreSQL server binaries (initdb, pg_ctl): the newest /usr/lib/postgresql/N/bin (Debian, Ubuntu),
/// else the first on PATH; CLEANCHAT_PG_BIN names another folder. Without them, asking for a server throws
/// <see cref="SkipException"/>, so a [SkippableFact] or [SkippableTheory] test is skipped; under CI=true it throws
/// <see cref="InvalidOperationException"/> instead, and the test fails. PostgreSQL refuses to run as root: as root,
/// every server command runs as the postgres user (runuser -u postgres), which owns the folder.
/// </remarks>
public sealed class PostgresServer : IDisposable
{
    /// <summary>The superuser initdb creates, and the system user the server runs as under root.</summary>
    public const string User = "postgres";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Waits for end of input, then stops the server and removes its folder: see <see cref="StartWatchdog"/>.
    /// Arguments: the folder, the data folder, then the pg_ctl command (with its runuser prefix under root).
    /// </summary>
    private const string WatchdogScript = """
        exec >/dev/null 2>&1
        read -r _
        folder=$1 data=$2
        shift 2
        [ -f "$data/postmaster.pid" ] && "$@" stop -w -t 60 -D "$data" -m fast
        rm -rf "$folder"
        """;

    private static readonly Lock SharedGate = new();
    private static readonly List<PostgresServer> Running = [];
    private static PostgresServer? _shared;
    private static Exception? _sharedFailure;

    private readonly string _binaries;
    private readonly SemaphoreSlim _gate = new(1, 1); // one stop, start or dispose of this server at a time
    private bool _started;
    private bool _disposed;
    private Process? _watchdog;

    static PostgresServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            PostgresServer[] servers;
            lock (SharedGate)
            {
                servers = [.. Running];
            }

            foreach (var server in servers)
            {
                server.Shutdown();
            }
        };
    }

    private PostgresServer(string binaries)
    {
        _binaries = binaries;
        Folder = Path.Combine(Path.GetTempPath(), "cleanchat-postgres-" + Guid.NewGuid().ToString("N")[..12]);
        DataFolder = Path.Combine(Folder, "data");
        LogFile = Path.Combine(Folder, "server.log");
    }

    public string Host => "127.0.0.1";
    public int Port { get; private set; }

    /// <summary>The temporary folder: the data folder, the server's log and its Unix socket. Removed at the end.</summary>
    public string Folder { get; }

    /// <summary>The cluster's data folder (initdb -D, PGDATA).</summary>
    public string DataFolder { get; }

    /// <summary>The server's own log (pg_ctl -l), quoted in the exception when a start fails.</summary>
    public string LogFile { get; }

    /// <summary>The major version, e.g. 15.</summary>
    public int Version { get; private set; }

    /// <summary>The path of one of this PostgreSQL's programs, e.g. <c>pg_dump</c>, from the folder its server came from.</summary>
    public string Program(string name) => Path.Combine(_binaries, name);

    /// <summary>Whether the server is up: false after <see cref="StopAsync"/> until <see cref="StartAsync"/>.</summary>
    public bool IsRunning => _started;

    /// <summary>
    /// The test process's shared server, started on the first call (about 1.5 s) and stopped when the process exits.
    /// Thread-safe. Do not stop it from a test that may run alongside others: use <see cref="StartNew"/> for that.
    /// </summary>
    /// <exception cref="SkipException">The PostgreSQL binaries are missing and CI is not "true".</exception>
    /// <exception cref="InvalidOperationException">They are missing under CI=true, or the server failed to start.</exception>
    public static PostgresServer Acquire()
    {
        lock (SharedGate)
        {
            if (_shared is not null)
            {
                return _shared;
            }

            // One attempt per process: every later test reports the first one's cause, without another initdb.
            if (_sharedFailure is SkipException)
            {
                throw new SkipException(_sharedFailure.Message);
            }

            if (_sharedFailure is not null)
            {
                throw new InvalidOperationException(
                    "The shared PostgreSQL server failed to start earlier in this test process: " + _sharedFailure.Message, _sharedFailure);
            }

            try
            {
                return _shared = StartNew();
            }
            catch (Exception failure)
            {
                _sharedFailure = failure;
                throw;
            }
        }
    }

    /// <summary>
    /// A server of the caller's own, started now; <see cref="Dispose"/> stops it and removes its folder (the process
    /// exit does too if the caller does not).
    /// </summary>
    /// <exception cref="SkipException">The PostgreSQL binaries are missing and CI is not "true".</exception>
    /// <exception cref="InvalidOperationException">They are missing under CI=true, or the server failed to start.</exception>
    public static PostgresServer StartNew()
    {
        var server = new PostgresServer(FindBinaries());
        lock (SharedGate)
        {
            Running.Add(server);
        }

        try
        {
            server.StartWatchdog();
            server.Initialise();
            server.StartOnFreePort();
            return server;
        }
        catch
        {
            server.Shutdown();
            throw;
        }
    }

    /// <summary>Creates a new, empty database with a unique name and returns a connection string to it.</summary>
    public string CreateDatabase()
    {
        var name = "cleanchat_" + Guid.NewGuid().ToString("N");
        // From PostgreSQL 15 the default copies the template through the WAL: ~400 ms here, against ~80 ms for a file
        // copy, whose checkpoints cost little with fsync off. Before 15, a file copy is all there is.
        var strategy = Version >= 15 ? " STRATEGY = FILE_COPY" : "";
        Execute($"CREATE DATABASE {QuoteIdentifier(name)}{strategy}");
        return ConnectionString(name);
    }

    /// <summary>Drops <paramref name="database"/> if it exists, terminating its connections first.</summary>
    public void DropDatabase(string database) =>
        Execute($"DROP DATABASE IF EXISTS {QuoteIdentifier(database)} WITH (FORCE)");

    /// <summary><c>Host=127.0.0.1;Port=…;Database=…;Username=postgres</c>: trust authentication, so no password.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Database = database, Username = User }.ConnectionString;

    /// <summary>
    /// Stops the server: by default hard (pg_ctl stop -m immediate, as if it crashed: committed data survives, and the
    /// next start recovers from the WAL), else cleanly (-m fast). Connections open on it break. Nothing if stopped.
    /// </summary>
    public async Task StopAsync(bool immediate = true)
    {
        await _gate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                await RunAsync("pg_ctl", "stop", "-w", "-t", "60", "-D", DataFolder, "-m", immediate ? "immediate" : "fast");
                _started = false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// SIGSTOP to the server and every one of its processes, as a server that hangs (a stalled disk, a VM paused): its
    /// connections stay open and nothing answers. <see cref="Thaw"/> sends SIGCONT.
    /// </summary>
    public void Freeze() => SignalAll("-STOP");

    public void Thaw() => SignalAll("-CONT");

    private void SignalAll(string signal)
    {
        var postmaster = File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First().Trim();
        using var children = Process.Start("pkill", [signal, "-P", postmaster])!;
        children.WaitForExit();
        using var server = Process.Start("kill", [signal, postmaster])!;
        server.WaitForExit();
        if (server.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {postmaster} failed with exit code {server.ExitCode}.");
        }
    }

    /// <summary>Starts the server again on the same port and data folder. Nothing if it is running.</summary>
    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_started)
            {
                await StartOnAsync(Port);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops a server from <see cref="StartNew"/> and removes its folder. The shared one is the process's.</summary>
    public void Dispose()
    {
        lock (SharedGate)
        {
            if (ReferenceEquals(this, _shared))
            {
                throw new InvalidOperationException(
                    "The shared PostgreSQL server (PostgresServer.Acquire) is stopped when the test process exits; do not dispose it.");
            }
        }

        Shutdown();
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("CLEANCHAT_PG_BIN");
        var found = !string.IsNullOrEmpty(configured)
            ? (HasServer(configured) ? configured : null)
            : Debian().Concat(SearchPath()).FirstOrDefault(HasServer);
        if (found is not null)
        {
            return found;
        }

        var missing = "PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl), and "
            + (string.IsNullOrEmpty(configured)
                ? "none were found in /usr/lib/postgresql/*/bin or on PATH"
                : $"CLEANCHAT_PG_BIN={configured} does not hold them")
            + ". Install them (Debian, Ubuntu: apt-get install postgresql) or set CLEANCHAT_PG_BIN to their folder.";
        throw Prerequisite.Missing(missing);

        static bool HasServer(string folder) =>
            File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

        static IEnumerable<string> Debian() =>
            Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(v => decimal.TryParse(Path.GetFileName(v), CultureInfo.InvariantCulture, out var n) ? n : 0)
                    .Select(v => Path.Combine(v, "bin"))
                : [];

        static IEnumerable<string> SearchPath() =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static int FreePort() => LoopbackPorts.Free();

    private static bool IsRoot => Environment.IsPrivilegedProcess;

    private void Initialise()
    {
        if (IsRoot)
        {
            Run("mkdir", "-m", "700", Folder); // as the postgres user, so that it owns the folder
        }
        else
        {
            Directory.CreateDirectory(Folder);
        }

        // UTF-8 with the C locale: byte-order collation whatever the machine's locale, as SQLite compares text.
        Run("initdb", "-D", DataFolder, "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        Version = int.Parse(File.ReadAllText(Path.Combine(DataFolder, "PG_VERSION")).Trim(), CultureInfo.InvariantCulture);
    }

    private void StartOnFreePort()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Task.Run(() => StartOnAsync(FreePort())).GetAwaiter().GetResult();
                return;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("could not bind", StringComparison.Ordinal))
            {
                // Another process took the free port between our look and the server's bind: try another.
            }
        }
    }

    private async Task StartOnAsync(int port)
    {
        var options = $"-p {port} -k '{Folder}' -c listen_addresses=127.0.0.1 -c fsync=off";
        var logged = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
        try
        {
            await RunAsync("pg_ctl", "start", "-w", "-t", "60", "-D", DataFolder, "-l", LogFile, "-o", options);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nServer log ({LogFile}):\n{ReadLog(logged)}", e);
        }

        Port = port;
        _started = true;
    }

    private string ReadLog(long from)
    {
        try
        {
            using var log = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log.Seek(from, SeekOrigin.Begin);
            return new StreamReader(log).ReadToEnd().Trim();
        }
        catch (IOException e)
        {
            return $"(unreadable: {e.Message})";
        }
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Stops the server if it runs (-m fast) and removes the folder; never throws. At dispose and exit.</summary>
    private void Shutdown()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_started)
            {
                try
                {
                    Run("pg_ctl", "stop", "-w", "-t", "60", "-D", DataFolder, "-m", "fast");
                }
                catch (InvalidOperationException)
                {
                    // Already gone; its folder still goes.
                }

                _started = false;
            }

            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The temporary folder is disposable.
            }

            _watchdog?.Dispose(); // closes its input: it finds nothing left to do, and ends
        }
        finally
        {
            _gate.Release();
        }

        lock (SharedGate)
        {
            Running.Remove(this);
        }
    }

    /// <summary>
    /// Starts a shell, detached from this process (setsid -f), that stops the server and removes its folder once the
    /// pipe to its input closes: <see cref="Shutdown"/> closes it after cleaning up itself, and the kernel when this
    /// process dies, however it dies. The test runner kills a test host that does not exit within moments of its last
    /// test, which can cut the ProcessExit handler short; a crash or a kill skips it altogether.
    /// </summary>
    private void StartWatchdog()
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-f", "sh", "-c", WatchdogScript, "postgres-watchdog", Folder, DataFolder, .. AsServerUser("pg_ctl")])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _watchdog = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No setsid (util-linux): the ProcessExit handler alone cleans up.
        }
    }

    /// <summary>The command line that runs a PostgreSQL program (or, for mkdir, a system one) as the server's user.</summary>
    private string[] AsServerUser(string program)
    {
        var path = program == "mkdir" ? program : Path.Combine(_binaries, program);
        return IsRoot ? ["runuser", "-u", User, "--", path] : [path];
    }

    private void Run(string program, params string[] arguments) =>
        Task.Run(() => RunAsync(program, arguments)).GetAwaiter().GetResult();

    /// <summary>Runs a program as the server's user (<see cref="AsServerUser"/>); throws with its output on failure.</summary>
    private async Task RunAsync(string program, params string[] arguments)
    {
        var command = AsServerUser(program);
        // "/" as working folder: under runuser, the postgres user may not be allowed into the test's own.
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[.. command[1..], .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var line = string.Join(' ', (IEnumerable<string>)[start.FileName, .. start.ArgumentList]);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {line}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{line} did not finish within {CommandTimeout.TotalSeconds} s.");
        }

        var said = ((await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false))).Trim();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{line} failed with exit code {process.ExitCode}:\n{said}");
        }
    }
}
