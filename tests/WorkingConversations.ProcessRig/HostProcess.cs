using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace WorkingConversations.ProcessRig;

/// <summary>
/// One node of the service: the built host (<c>WorkingConversations.Host.dll</c>) run as a child process in Production
/// mode on a database of the caller's, on a loopback port it keeps across restarts. Its console output is kept, both in
/// memory and in a log file. Several of them on one database make a cluster.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _logGate = new();
    private StreamWriter? _log;
    private Process? _process;
    private long _peakKilobytes;
    private int _disposed;

    /// <param name="dll">The host's built entry assembly.</param>
    /// <param name="connectionString">The database (<c>ConnectionStrings:Postgres</c>).</param>
    /// <param name="settings">More configuration, as environment variables (<c>RateLimiting__PermitsPerWindow</c>).</param>
    /// <param name="logFile">Where its console output is appended; a temporary file when not given.</param>
    /// <param name="name">How it is named in the log file and in messages ("node 1").</param>
    /// <param name="adminKey">The bootstrap administrator key; a new one when not given (nodes of one service share one).</param>
    public HostProcess(string dll, string connectionString, IReadOnlyDictionary<string, string>? settings = null, string? logFile = null,
        string name = "host", string? adminKey = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"The host is not built: {dll}", dll);
        _dll = dll;
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        Name = name;
        Port = FreeLoopbackPort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        AdminKey = adminKey ?? NewAdminKey();
        LogFile = logFile ?? Path.Combine(Path.GetTempPath(), $"wc-host-{Guid.NewGuid():N}.log");
    }

    public string Name { get; }

    /// <summary>The host's entry assembly this process runs.</summary>
    public string Dll => _dll;

    public int Port { get; }
    public Uri BaseAddress { get; }

    /// <summary>The bootstrap administrator key the host is started with (<c>Auth:BootstrapAdminKey</c>).</summary>
    public string AdminKey { get; }

    public string LogFile { get; }

    public static string NewAdminKey() => "wc_rig-admin-" + Guid.NewGuid().ToString("N");

    /// <summary>How many times the process has been started.</summary>
    public int Starts { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => _process?.Id;

    /// <summary>Every line the host wrote to stdout or stderr, over all its starts.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Starts the process and waits until <paramref name="readyPath"/> answers 200 (or the time-out).</summary>
    public async Task StartAsync(TimeSpan? timeout = null, string readyPath = "/health/ready")
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is already running.");
        _log ??= new StreamWriter(LogFile, append: true) { AutoFlush = true };
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_dll);
        // As a container or a service manager starts it: settings in the environment, no arguments.
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Postgres"] = _connectionString;
        info.Environment["Auth__BootstrapAdminKey"] = AdminKey;
        foreach (var (key, value) in _settings) info.Environment[key] = value;

        Starts++;
        Write($"---- {Name}: start {Starts} at {DateTimeOffset.UtcNow:O}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Write(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Write(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (deadline.Elapsed < limit)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, readyPath));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }

            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited during start-up with code {process.ExitCode}; its log is {LogFile}.");
            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} did not answer {readyPath} within {limit.TotalSeconds:0} s; its log is {LogFile}.");
    }

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        if (_process is not { } process || process.HasExited) return;
        ReadPeakMemory();
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
        Write($"---- {Name}: killed at {DateTimeOffset.UtcNow:O}");
    }

    /// <summary>SIGTERM, as an orchestrator stops a process, then waits for it to exit (killing it after the grace period).</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process is not { } process || process.HasExited) return;
        ReadPeakMemory();
        if (SendSignal(process.Id, SigTerm) != 0) process.Kill();
        using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(wait.Token);
            Write($"---- {Name}: stopped at {DateTimeOffset.UtcNow:O} with code {process.ExitCode}");
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public Task RestartAsync(TimeSpan? timeout = null)
    {
        Kill();
        return StartAsync(timeout);
    }

    /// <summary>The largest resident set the process has had (VmHWM), in MB; the last reading once it has exited.</summary>
    public double PeakMemoryMegabytes()
    {
        ReadPeakMemory();
        return _peakKilobytes / 1024.0;
    }

    /// <summary>Runs the host's command line (<c>projections rebuild</c>, <c>demo seed</c>) on a database and waits for it.</summary>
    public static CommandResult RunCommand(string dll, string connectionString, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Postgres"] = connectionString;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var output = new ConcurrentQueue<string>();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The kernel keeps the peak resident set (VmHWM) only while the process lives: read it until it exits.
        var peakKilobytes = 0L;
        var limit = timeout ?? TimeSpan.FromMinutes(30);
        while (!process.WaitForExit(TimeSpan.FromMilliseconds(100)))
        {
            peakKilobytes = Math.Max(peakKilobytes, ReadPeakKilobytes(process.Id));
            if (stopwatch.Elapsed <= limit) continue;
            process.Kill();
            break;
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, stopwatch.Elapsed, [.. output], peakKilobytes / 1024.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void Write(string line)
    {
        _lines.Enqueue(line);
        lock (_logGate) _log?.WriteLine(line);
    }

    private void ReadPeakMemory()
    {
        if (_process is not { HasExited: false } process) return;
        _peakKilobytes = Math.Max(_peakKilobytes, ReadPeakKilobytes(process.Id));
    }

    private static long ReadPeakKilobytes(int processId)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return status is null ? 0 : long.Parse(status.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; /* the process went away meanwhile */ }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}

/// <summary>A command's exit code, time, output and peak resident set in MB (VmHWM; 0 where /proc is not there).</summary>
public sealed record CommandResult(int ExitCode, TimeSpan Elapsed, IReadOnlyList<string> Output, double PeakMemoryMegabytes = 0);
