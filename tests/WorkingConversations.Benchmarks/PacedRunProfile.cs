using System.Diagnostics;
using System.Globalization;
using Npgsql;

/// <summary>
/// What a paced run's tail is made of: how busy the machine's cores were, who used them, what the database's active
/// backends waited on, and whether the slow requests cluster in a few seconds (a stall) or spread over the run (a queue).
/// </summary>
internal sealed class PacedRunProfile : IAsyncDisposable
{
    private readonly (long Busy, long Total) _machineStart = MachineTicks();
    private readonly TimeSpan _benchmarkStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<WaitSamples>? _waits;
    private readonly Task<CpuTimeline>? _timeline;

    private PacedRunProfile(string connectionString, string database, bool sampleWaits, int? hostPid, bool cpuTimeline)
    {
        _waits = sampleWaits ? SampleWaits(connectionString, database, _stop.Token) : null;
        _timeline = cpuTimeline ? CpuTimeline.Sample(hostPid, _stop.Token) : null;
    }

    /// <summary>
    /// The wait sampling is a query every 50 ms on the measured cluster (--wait-events), the CPU timeline a read of every
    /// process's and the host's threads' CPU every 100 ms (--cpu-timeline): each costs CPU of its own, so each is asked for.
    /// </summary>
    public static PacedRunProfile Start(string connectionString, string database, bool sampleWaits, int? hostPid = null, bool cpuTimeline = false) =>
        new(connectionString, database, sampleWaits, hostPid, cpuTimeline);

    /// <summary>
    /// The autovacuum CPU by table in the server log from a time on (log_autovacuum_min_duration = 0; the lines begin with
    /// the server's log time zone, the machine's own on the benchmark's cluster).
    /// </summary>
    public static string AutovacuumSince(string serverLog, DateTimeOffset since)
    {
        if (!File.Exists(serverLog)) return "no server log";
        var byTable = new Dictionary<string, (int Runs, double Cpu)>();
        string? table = null;
        var counted = false;
        using var stream = new FileStream(serverLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var at = line.Length > 23 && DateTimeOffset.TryParse(line[..23], CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var t) ? t : (DateTimeOffset?)null;
            if (at is not null)
            {
                table = null;
                var quoted = line.IndexOf("automatic ", StringComparison.Ordinal) is var i and >= 0 && at >= since ? line.IndexOf('"', i) : -1;
                if (quoted >= 0)
                {
                    table = (line.Contains("automatic analyze", StringComparison.Ordinal) ? "analyze " : "vacuum ") + line[(quoted + 1)..line.IndexOf('"', quoted + 1)];
                    counted = false;
                }
            }
            else if (table is not null && !counted && line.Contains("system usage: CPU: user: ", StringComparison.Ordinal))
            {
                var parts = line[(line.IndexOf("user: ", StringComparison.Ordinal) + 6)..].Split(' ');
                var cpu = double.Parse(parts[0], CultureInfo.InvariantCulture) + double.Parse(parts[3], CultureInfo.InvariantCulture);
                var (runs, total) = byTable.GetValueOrDefault(table);
                byTable[table] = (runs + 1, total + cpu);
                counted = true;
            }
        }

        return byTable.Count == 0 ? "none" : string.Join(", ", byTable.OrderByDescending(t => t.Value.Cpu).Take(6)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value.Runs}x {t.Value.Cpu * 1000:0} ms")));
    }

    /// <summary>The figures of the run, as rows of the benchmark's table.</summary>
    public async Task<IReadOnlyList<(string What, string Value)>> StopAsync(LoadResult run, double slowMs)
    {
        var (busy, total) = MachineTicks();
        var benchmarkCpu = Process.GetCurrentProcess().TotalProcessorTime - _benchmarkStart;
        await _stop.CancelAsync();
        var rows = new List<(string, string)>
        {
            ("  the machine's cores busy during the paced run (all processes, /proc/stat); the benchmark's own client CPU per request",
                string.Create(CultureInfo.InvariantCulture,
                    $"{100.0 * (busy - _machineStart.Busy) / Math.Max(1, total - _machineStart.Total):0}% of {Environment.ProcessorCount} cores; client {benchmarkCpu.TotalMilliseconds / Math.Max(1, run.Count):0.00} ms")),
        };
        if (_waits is not null)
            rows.Add(("  the database's active client backends during the paced run (pg_stat_activity every 50 ms): mean active; what they waited on",
                (await _waits).Describe()));
        if (run.SentAtMs is { } sentAt)
        {
            rows.Add(($"  requests over {slowMs:0} ms by the second they were sent in (the three worst seconds; the run's share)", SlowBySecond(run, sentAt, slowMs)));
            if (_timeline is not null)
            {
                var timeline = await _timeline;
                var slowSeconds = run.LatenciesMs.Select((ms, i) => (ms, second: (int)(sentAt[i] / 1000))).Where(r => r.ms > slowMs)
                    .GroupBy(r => r.second).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(3).ToArray();
                foreach (var (what, value) in timeline.Describe(slowSeconds)) rows.Add((what, value));
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        if (_waits is not null) await _waits;
        if (_timeline is not null) await _timeline;
        _stop.Dispose();
    }

    private static string SlowBySecond(LoadResult run, double[] sentAt, double slowMs)
    {
        var slow = run.LatenciesMs.Select((ms, i) => (ms, second: (int)(sentAt[i] / 1000))).Where(r => r.ms > slowMs).ToArray();
        if (slow.Length == 0) return "none";
        var seconds = slow.GroupBy(r => r.second).Select(g => (Second: g.Key, Count: g.Count(), Max: g.Max(r => r.ms)))
            .OrderByDescending(g => g.Count).ToArray();
        var worst = seconds.Take(3).ToArray();
        var spread = string.Create(CultureInfo.InvariantCulture,
            $"{slow.Length} of {run.Count} ({100.0 * slow.Length / run.Count:0.0}%) in {seconds.Length} of {Math.Ceiling(run.Elapsed.TotalSeconds):0} seconds");
        var worstSeconds = string.Join(", ", worst.Select(w => string.Create(CultureInfo.InvariantCulture, $"second {w.Second}: {w.Count} (max {w.Max:0} ms)")));
        var share = string.Create(CultureInfo.InvariantCulture, $"{100.0 * worst.Sum(w => w.Count) / slow.Length:0}%");
        return $"{spread}; worst {worstSeconds}; those three hold {share} of the slow ones";
    }

    private static (long Busy, long Total) MachineTicks()
    {
        if (!File.Exists("/proc/stat")) return (0, 0);
        // cpu  user nice system idle iowait irq softirq steal ...: idle and iowait are the cores' idle time.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        return (total - fields[3] - fields[4], total);
    }

    private static async Task<WaitSamples> SampleWaits(string connectionString, string database, CancellationToken stop)
    {
        var samples = new WaitSamples();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            select coalesce(wait_event_type || ': ' || wait_event, 'on CPU (no wait event)')
            from pg_stat_activity
            where datname = @database and backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid()
            """, connection);
        command.Parameters.AddWithValue("database", database);
        while (!stop.IsCancellationRequested)
        {
            var active = 0;
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    active++;
                    samples.Count(reader.GetString(0));
                }
            }

            samples.Sampled(active);
            try { await Task.Delay(50, stop); } catch (OperationCanceledException) { break; }
        }

        return samples;
    }

    private sealed class WaitSamples
    {
        private readonly Dictionary<string, int> _byWait = [];
        private int _samples;
        private long _active;

        public void Count(string wait) => _byWait[wait] = _byWait.GetValueOrDefault(wait) + 1;

        public void Sampled(int active)
        {
            _samples++;
            _active += active;
        }

        public string Describe()
        {
            if (_samples == 0 || _active == 0) return $"{_samples} samples, no backend active";
            return string.Create(CultureInfo.InvariantCulture, $"{(double)_active / _samples:0.00} of {_samples} samples; ") +
                   string.Join(", ", _byWait.OrderByDescending(w => w.Value).Take(6)
                       .Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key} {100.0 * w.Value / _active:0}%")));
        }
    }

    /// <summary>
    /// CPU by process and by the host's threads, per second of the run: whether a second of slow requests is one where
    /// the host's own threads (the thread pool, the JIT's tiering, the collector), PostgreSQL's (the backends, the WAL
    /// writer, a checkpoint, autovacuum) or the client took the cores. Linux counts CPU in ticks of 10 ms.
    /// </summary>
    private sealed class CpuTimeline
    {
        private readonly List<Dictionary<string, double>> _seconds = [];

        public static Task<CpuTimeline> Sample(int? hostPid, CancellationToken stop) => Task.Run(async () =>
        {
            var timeline = new CpuTimeline();
            var self = Environment.ProcessId;
            var started = Stopwatch.StartNew();
            var last = Read(hostPid, self);
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(100, stop); } catch (OperationCanceledException) { break; }
                var now = Read(hostPid, self);
                var second = (int)started.Elapsed.TotalSeconds;
                while (timeline._seconds.Count <= second) timeline._seconds.Add([]);
                var bucket = timeline._seconds[second];
                foreach (var (key, (who, ticks)) in now)
                {
                    var delta = ticks - (last.TryGetValue(key, out var before) ? before.Ticks : ticks);
                    if (delta > 0) bucket[who] = bucket.GetValueOrDefault(who) + delta * 10;
                }

                last = now;
            }

            return timeline;
        });

        public IEnumerable<(string What, string Value)> Describe(int[] slowSeconds)
        {
            string Top(Dictionary<string, double> second) =>
                string.Join(", ", second.OrderByDescending(w => w.Value).Take(6).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key} {w.Value:0}")));

            var full = _seconds.Take(Math.Max(0, _seconds.Count - 1)).ToArray();
            if (full.Length == 0) yield break;
            var typical = full.Select((s, i) => (s, i)).Where(x => !slowSeconds.Contains(x.i)).Select(x => x.s).ToArray();
            var mean = typical.SelectMany(s => s).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value) / Math.Max(1, typical.Length));
            yield return ("  CPU ms in a second without slow requests, mean (the host's threads by name, PostgreSQL's processes, the client)", Top(mean));
            foreach (var second in slowSeconds.Where(s => s < full.Length))
                yield return (string.Create(CultureInfo.InvariantCulture, $"  CPU ms in second {second}"), Top(full[second]));
        }

        private static Dictionary<(int Pid, int Tid), (string Who, long Ticks)> Read(int? hostPid, int self)
        {
            var result = new Dictionary<(int, int), (string, long)>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    if (pid == hostPid || pid == self)
                    {
                        var prefix = pid == self ? "client" : "host";
                        foreach (var task in Directory.EnumerateDirectories(Path.Combine(dir, "task")))
                            if (ProcStat.Read(Path.Combine(task, "stat")) is var (comm, ticks))
                                result[(pid, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))] = ($"{prefix} {ThreadGroup(comm)}", ticks);
                        continue;
                    }

                    if (ProcStat.Read(Path.Combine(dir, "stat")) is not var (name, total)) continue;
                    var who = name == "postgres" ? Postgres(File.ReadAllText(Path.Combine(dir, "cmdline"))) : $"other {name}";
                    result[(pid, pid)] = (who, total);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }

            return result;
        }

        // The runtime names its threads (".NET TP Worker", ".NET Tiered Com", ".NET BGC"); numbered ones are one group.
        private static string ThreadGroup(string comm) => comm.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '#');

        private static string Postgres(string cmdline)
        {
            var title = cmdline.Replace('\0', ' ').Trim();
            if (title.StartsWith("postgres: autovacuum worker", StringComparison.Ordinal)) return "postgres autovacuum";
            if (!title.StartsWith("postgres: ", StringComparison.Ordinal)) return "postgres postmaster";
            var words = title["postgres: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // A backend's title is "user database address state"; a server process's is its role ("walwriter").
            return words.Length >= 3 ? "postgres backends" : $"postgres {string.Join(' ', words)}";
        }
    }
}
