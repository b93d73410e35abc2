using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace WorkingConversations.Testing;

/// <summary>
/// The real RabbitMQ broker the tests that ask for one run against, found once per test process: an AMQP URI in
/// <c>WC_TEST_RABBITMQ</c> wins; else a throw-away node started from Debian's <c>rabbitmq-server</c> package on free
/// loopback ports, with its own data, logs, node name and Erlang port mapper, stopped and deleted when the tests end.
/// Each fixture gets its own queue and exchange names on it (<see cref="NewPrefix"/>), so hosts never share a queue by
/// accident.
/// </summary>
public static class TestRabbitMq
{
    public const string EnvironmentVariable = "WC_TEST_RABBITMQ";
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Uri? _uri;
    private static Node? _node;
    private static int _prefixes;

    /// <summary>Names of queues and exchanges that no other fixture in this or another test process uses.</summary>
    public static string NewPrefix(string purpose) =>
        $"wc{Environment.ProcessId}x{Interlocked.Increment(ref _prefixes)}-{new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray())}";

    public static async Task<Uri> UriAsync()
    {
        if (_uri is not null) return _uri;
        await Gate.WaitAsync();
        try
        {
            if (_uri is not null) return _uri;
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return _uri = new Uri(configured);

            if (!File.Exists(ServerScript))
            {
                throw new InvalidOperationException(
                    $"This test needs RabbitMQ: set {EnvironmentVariable} to an AMQP URI (amqp://guest:guest@127.0.0.1:5672/), " +
                    "or install the broker (`apt-get install rabbitmq-server`; .ci/run does so) for the tests to start a throw-away node.");
            }

            _node = await Node.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _node.Stop();
            return _uri = _node.Uri;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// A throw-away node, run under a small watchdog script that is not a child of the test process: it stops the node, its
    /// port mapper and deletes its folder as soon as the test process is gone, however it went (a test host killed by the
    /// runner included), and at once when told to stop.
    /// </summary>
    private sealed class Node
    {
        private const string Watchdog = """
            #!/bin/sh
            # $1: the test process; $2: the folder; the rest: the command that runs the node.
            owner=$1; folder=$2; shift 2
            echo $$ > "$folder/watchdog.pid"
            "$@" > "$folder/console.log" 2>&1 &
            node=$!
            trap 'kill -TERM $node 2>/dev/null' TERM INT
            while kill -0 "$owner" 2>/dev/null && kill -0 $node 2>/dev/null; do sleep 1; done
            kill -TERM $node 2>/dev/null
            wait $node
            epmd -kill > /dev/null 2>&1
            rm -rf "$folder"
            """;

        private readonly string _folder;
        private int _stopped;

        private Node(string folder, Uri uri)
        {
            _folder = folder;
            Uri = uri;
        }

        public Uri Uri { get; }

        public static async Task<Node> StartAsync()
        {
            if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException($"Set {EnvironmentVariable}: the throw-away node runs on Linux only.");
            var folder = Path.Combine(Path.GetTempPath(), $"wc-test-rabbitmq-{Environment.ProcessId}-{Guid.NewGuid():N}");
            var (amqpPort, distributionPort, epmdPort) = (FreeLoopbackPort(), FreeLoopbackPort(), FreeLoopbackPort());
            Directory.CreateDirectory(Path.Combine(folder, "mnesia"));
            Directory.CreateDirectory(Path.Combine(folder, "log"));
            // No plugins: the management UI is not needed, and every plugin costs start-up time.
            await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].\n");
            // guest/guest is accepted from loopback only by default; the node listens on nothing else anyway.
            await File.WriteAllTextAsync(Path.Combine(folder, "rabbitmq.conf"),
                $"listeners.tcp.1 = 127.0.0.1:{amqpPort}\nloopback_users = none\nlog.console = true\nlog.console.level = warning\n");
            // The Erlang cookie lives in HOME: a node of our own, with a cookie of our own, reachable by nobody else's tools.
            var cookie = Path.Combine(folder, ".erlang.cookie");
            await File.WriteAllTextAsync(cookie, Guid.NewGuid().ToString("N").ToUpperInvariant());
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            var watchdog = Path.Combine(folder, "watchdog.sh");
            await File.WriteAllTextAsync(watchdog, Watchdog.ReplaceLineEndings("\n") + "\n");

            // setsid -f: the watchdog is nobody's child here, so a runner that kills the test process and its children
            // still leaves it to clean up.
            var info = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = folder };
            foreach (var a in new[] { "-f", "sh", watchdog, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), folder }) info.ArgumentList.Add(a);
            var runAs = ServerUser();
            if (runAs is not null)
            {
                Run("chown", ["-R", $"{runAs}:", folder]);
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                // setpriv execs the server script in place; the script turns SIGTERM into a clean stop of the Erlang node.
                foreach (var a in new[] { "setpriv", "--reuid", runAs, "--regid", runAs, "--init-groups" }) info.ArgumentList.Add(a);
            }

            info.ArgumentList.Add(ServerScript);
            var environment = info.Environment;
            environment["HOME"] = folder;
            environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia");
            environment["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log");
            environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq.conf");
            environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins");
            environment["RABBITMQ_PID_FILE"] = Path.Combine(folder, "rabbitmq.pid");
            environment["RABBITMQ_NODENAME"] = $"wc-test-{Environment.ProcessId}-{amqpPort}@localhost";
            environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
            environment["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture);
            environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture);
            // A port mapper of our own, so that stopping it at the end cannot disturb another Erlang node on the machine.
            environment["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture);
            using (var started = Process.Start(info) ?? throw new InvalidOperationException("Could not start setsid"))
            {
                await started.WaitForExitAsync();
            }

            var uri = new Uri($"amqp://guest:guest@127.0.0.1:{amqpPort}/");
            var node = new Node(folder, uri);
            var factory = new ConnectionFactory { Uri = uri, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    await using var connection = await factory.CreateConnectionAsync();
                    return node;
                }
                catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or SocketException or IOException)
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(120) || (deadline.Elapsed > TimeSpan.FromSeconds(5) && node.WatchdogPid() is null))
                    {
                        var console = TryRead(Path.Combine(folder, "console.log"));
                        node.Stop();
                        throw new InvalidOperationException($"rabbitmq-server did not accept connections on 127.0.0.1:{amqpPort}:\n{console}");
                    }

                    await Task.Delay(250);
                }
            }
        }

        /// <summary>The watchdog's pid while it runs (it deletes the folder, and so its pid file, when it is done).</summary>
        private string? WatchdogPid()
        {
            var pid = TryRead(Path.Combine(_folder, "watchdog.pid")).Trim();
            return pid.Length > 0 && Directory.Exists($"/proc/{pid}") ? pid : null;
        }

        /// <summary>Tells the watchdog to stop the node and does not wait: the test process may be on its way out.</summary>
        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            if (WatchdogPid() is { } pid) Run("kill", ["-TERM", pid]);
        }
    }

    /// <summary>The broker's own package makes a rabbitmq user for it; a root process runs the node as that user.</summary>
    private static string? ServerUser()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess) return null;
        var passwd = File.Exists("/etc/passwd") ? File.ReadAllText("/etc/passwd") : "";
        return passwd.Split('\n').Any(l => l.StartsWith("rabbitmq:", StringComparison.Ordinal)) ? "rabbitmq" : "nobody";
    }

    private static string TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static void Run(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
