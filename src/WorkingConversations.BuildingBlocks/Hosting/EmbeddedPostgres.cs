using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// A project-local PostgreSQL cluster started from the machine's own server binaries (initdb, pg_ctl),
/// so that a newcomer needs no database set up to run the service or its tests.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string DatabaseName = "working_conversations";

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string? _runAsUser;
    private readonly bool _ephemeral;
    private readonly bool _startedHere;
    private readonly Action<string> _log;
    private int _stopped;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, string? runAsUser, bool ephemeral, bool startedHere, int port, Action<string> log)
    {
        _startedHere = startedHere;
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _runAsUser = runAsUser;
        _ephemeral = ephemeral;
        _log = log;
        Port = port;
    }

    public int Port { get; }


    /// <summary>Connection string to the given database on this cluster (trust authentication, loopback only).</summary>
    public string ConnectionStringFor(string database = DatabaseName) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Pooling = true,
            MaxPoolSize = 100,
        }.ConnectionString;

    /// <summary>
    /// Where the host keeps its cluster when <c>Database:EmbeddedDataDirectory</c> is not set: under the user's
    /// local application data. A root process runs the server as another user, who cannot enter /root, so
    /// the cluster then lives under /var/lib instead.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        if (OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess)
        {
            return "/var/lib/working-conversations/postgres";
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(root, "WorkingConversations", "postgres");
    }

    /// <summary>Finds initdb and pg_ctl: PATH first, then /usr/lib/postgresql/*/bin (newest), then pg_config --bindir.</summary>
    public static string? FindBinDirectory()
    {
        static bool HasServer(string dir) =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(dir)) return dir;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => HasServer(x.dir))
                .OrderByDescending(x => x.version)
                .Select(x => x.dir)
                .FirstOrDefault();
            if (newest is not null) return newest;
        }

        try
        {
            var (code, output) = Run("pg_config", ["--bindir"], runAsUser: null, timeout: TimeSpan.FromSeconds(10));
            var dir = output.Trim();
            if (code == 0 && HasServer(dir)) return dir;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not installed either.
        }

        return null;
    }

    /// <summary>
    /// Starts (or adopts, when it is already running) the cluster in <paramref name="dataDirectory"/>, creating it on
    /// first use, and makes sure the service database exists.
    /// </summary>
    /// <param name="ephemeral">A throw-away cluster (tests): no fsync, and the folder is deleted on stop.</param>
    /// <param name="port">The port to listen on; a free one when not given. A server started again after a stop keeps
    /// its clients' connection strings valid by passing the port it had.</param>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, bool ephemeral = false, Action<string>? log = null,
        CancellationToken cancellationToken = default, int? port = null)
    {
        log ??= _ => { };
        var bin = FindBinDirectory() ?? throw new EmbeddedPostgresUnavailableException(
            "No database is configured and no PostgreSQL server binaries (initdb, pg_ctl) were found on PATH, in /usr/lib/postgresql/*/bin or through pg_config. " +
            "Install the PostgreSQL server (for example `apt-get install postgresql`), or set the connection string ConnectionStrings:Postgres " +
            "(environment variable ConnectionStrings__Postgres).");

        var runAs = ServerUser();
        dataDirectory = Path.GetFullPath(dataDirectory);
        PrepareDirectory(dataDirectory, runAs);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            log($"Creating a PostgreSQL cluster in {dataDirectory}");
            var (code, output) = Run(Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                runAs, TimeSpan.FromMinutes(2));
            if (code != 0) throw new EmbeddedPostgresUnavailableException($"initdb failed ({code}): {output}");
        }

        var running = RunningPort(bin, dataDirectory, runAs);
        // A server already running here belongs to another process (a host, or a command run beside it): use it, and
        // leave stopping it to whoever started it.
        var startedHere = running is null;
        if (running is null)
        {
            running = port ?? FreeLoopbackPort();
            // Every referral writes a few rows, so the write-ahead log fills fast: with PostgreSQL's 1 GB, a checkpoint
            // started every 45 s or so under intake load, and the full-page images each one forces made every commit
            // heavier (docs/performance.md). A larger log and a 15-minute interval space checkpoints out.
            var options = $"-p {running} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 " +
                          "-c max_wal_size=8GB -c checkpoint_timeout=15min";
            if (ephemeral) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            log($"Starting PostgreSQL on 127.0.0.1:{running}");
            var (code, output) = Run(Path.Combine(bin, "pg_ctl"),
                ["start", "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60", "-o", options],
                runAs, TimeSpan.FromSeconds(90));
            if (code != 0)
            {
                var serverLog = TryRead(Path.Combine(dataDirectory, "server.log"));
                throw new EmbeddedPostgresUnavailableException($"pg_ctl start failed ({code}): {output}\n{serverLog}");
            }
        }
        else
        {
            log($"Using the PostgreSQL server already running on 127.0.0.1:{running}");
        }

        var server = new EmbeddedPostgres(bin, dataDirectory, runAs, ephemeral, startedHere, running.Value, log);
        try
        {
            await server.EnsureDatabaseAsync(DatabaseName, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Creates the database on this cluster unless it exists.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        if (!_startedHere) return;
        _log("Stopping PostgreSQL");
        Run(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", _dataDirectory, "-m", "fast", "-w", "-t", "30"], _runAsUser, TimeSpan.FromSeconds(45));
        if (_ephemeral)
        {
            try { Directory.Delete(_dataDirectory, recursive: true); }
            catch (IOException) { /* best effort: a temp folder left behind is harmless */ }
            catch (UnauthorizedAccessException) { }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>PostgreSQL refuses to run as root: a root process runs it as the postgres user (or nobody).</summary>
    private static string? ServerUser()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess) return null;
        var passwd = TryRead("/etc/passwd");
        return passwd.Split('\n').Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";
    }

    private static void PrepareDirectory(string dataDirectory, string? runAs)
    {
        Directory.CreateDirectory(dataDirectory);
        if (runAs is null) return;

        Run("chown", ["-R", runAs, dataDirectory], null, TimeSpan.FromSeconds(30));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static int? RunningPort(string bin, string dataDirectory, string? runAs)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var (code, _) = Run(Path.Combine(bin, "pg_ctl"), ["status", "-D", dataDirectory], runAs, TimeSpan.FromSeconds(15));
        if (code != 0) return null;
        // postmaster.pid: line 4 is the port.
        var lines = TryRead(pidFile).Split('\n');
        return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static (int ExitCode, string Output) Run(string file, string[] arguments, string? runAsUser, TimeSpan timeout)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server must not inherit the host's Ctrl-C: the host stops it deliberately on exit.
            WorkingDirectory = "/",
        };
        if (runAsUser is null)
        {
            info.FileName = file;
        }
        else
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(runAsUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(file);
        }

        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        using var process = Process.Start(info) ?? throw new EmbeddedPostgresUnavailableException($"Could not start {file}");
        // pg_ctl start leaves the server holding our pipes open, so read asynchronously and stop waiting at exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new EmbeddedPostgresUnavailableException($"{file} did not finish within {timeout.TotalSeconds:0} s");
        }

        var output = (stdout.Wait(TimeSpan.FromSeconds(2)) ? stdout.Result : "") + (stderr.Wait(TimeSpan.FromSeconds(2)) ? stderr.Result : "");
        return (process.ExitCode, output);
    }
}

public sealed class EmbeddedPostgresUnavailableException(string message) : Exception(message);
