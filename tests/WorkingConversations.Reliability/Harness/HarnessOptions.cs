using System.Globalization;
using System.Reflection;

namespace WorkingConversations.Reliability.Harness;

/// <summary>How hard a run pushes: the short form runs in CI, the full form writes docs/reliability.md.</summary>
public sealed record HarnessOptions
{
    public required string HostDll { get; init; }
    public required string Form { get; init; }
    public int Kills { get; init; }
    public int Outages { get; init; }
    public int BadInputs { get; init; }

    /// <summary>Host processes on the one database; a kill takes one of them, at random.</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>Clients of the mixed load, each taking one person through the service at a time.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>The messages between modules go through a throw-away RabbitMQ node instead of durable local queues.</summary>
    public bool Broker { get; init; }

    /// <summary>Rounds of a rolling restart (each node in turn taken out of rotation, stopped with SIGTERM, started again).</summary>
    public int RollingRestarts { get; init; }

    public TimeSpan OutageLength { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a restart may take to finish the killed process's downstream work.</summary>
    public TimeSpan RecoveryTarget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon after the database is back writes must succeed again.</summary>
    public TimeSpan OutageRecoveryTarget { get; init; } = TimeSpan.FromSeconds(5);

    public int Seed { get; init; } = 17;

    /// <summary>Where the hosts' logs go: kept after the run, so a broken promise can be read about.</summary>
    public string LogDirectory { get; init; } = Path.Combine(Path.GetTempPath(), $"wc-reliability-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}");

    /// <summary>
    /// CI's form. It shares the machine with the rest of the test suite, so its time limits are looser (60 s, 15 s):
    /// loose enough not to fail on a busy machine, tight enough to catch the minute or two a dead node's work used to
    /// wait. The full form, run on a quiet machine, holds the real targets.
    /// </summary>
    public static HarnessOptions Short(string hostDll) => new()
    {
        HostDll = hostDll, Form = "short", Kills = 3, Outages = 1, BadInputs = 300,
        RecoveryTarget = TimeSpan.FromSeconds(60), OutageRecoveryTarget = TimeSpan.FromSeconds(15),
    };

    public static HarnessOptions Full(string hostDll) => new()
    {
        HostDll = hostDll, Form = "full", Kills = 20, Outages = 1, BadInputs = 1200,
    };

    /// <summary>The host built beside this assembly's configuration (Debug under <c>dotnet test</c>).</summary>
    public static string BuiltHostDll() =>
        typeof(HarnessOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "HostDll").Value!;

    public static HarnessOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var dll = Path.GetFullPath(Value("--host") ?? BuiltHostDll());
        var options = Value("--form") == "short" ? Short(dll) : Full(dll);
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return options with
        {
            Kills = Int("--kills", options.Kills),
            Outages = Int("--outages", options.Outages),
            BadInputs = Int("--bad-inputs", options.BadInputs),
            Nodes = Int("--nodes", options.Nodes),
            Workers = Int("--workers", options.Workers),
            Seed = Int("--seed", options.Seed),
            Broker = args.Contains("--broker"),
            RollingRestarts = Int("--rolling-restarts", options.RollingRestarts),
        };
    }
}
