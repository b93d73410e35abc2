using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using WorkingConversations.BuildingBlocks.Hosting;

// Measures the service against the machine's own ceiling, in one run, and prints a table (docs/performance.md).
// Usage: dotnet run -c Release --project tests/WorkingConversations.Benchmarks -- --host <path to WorkingConversations.Host.dll> [--seconds 10]
var options = BenchOptions.Parse(args);
var report = new Report();
Console.WriteLine($"Working Conversations benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");

await using var embedded = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WC_BENCH_POSTGRES"))
    ? await EmbeddedPostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"wc-bench-{Guid.NewGuid():N}"), ephemeral: false)
    : null;
var server = embedded?.ConnectionStringFor("postgres") ?? Environment.GetEnvironmentVariable("WC_BENCH_POSTGRES")!;
var database = await Database.Create(server, "wc_bench");

// 1. The ceiling: single-row INSERT transactions through Npgsql at the same concurrencies as the intake test.
var ceilings = new Dictionary<int, double>();
foreach (var concurrency in options.Concurrencies)
{
    var result = await Ceiling.SingleInserts(database, concurrency, options.Duration);
    ceilings[concurrency] = result.PerSecond;
    report.Add("ceiling: single-INSERT transactions (Npgsql)", concurrency, result);
}

if (Pgbench.Find() is { } pgbench)
{
    foreach (var concurrency in options.Concurrencies)
    {
        var tps = Pgbench.Run(pgbench, database, concurrency, options.Duration);
        report.AddFigure($"ceiling: pgbench one-INSERT script, {concurrency} clients", $"{tps:0} tps");
    }
}

// 2. Referral intake through the real host (a separate process, Kestrel on loopback).
await using var host = await HostProcess.Start(options.HostDll, database);
var api = new Api(host.BaseAddress, host.AdminKey);
var partnerKey = await api.PartnerKey();
var peakThroughput = 0.0;
foreach (var concurrency in options.Concurrencies)
{
    var result = await Load.Run(concurrency, options.Duration, i => api.PostReferral(partnerKey, i));
    peakThroughput = Math.Max(peakThroughput, result.PerSecond);
    report.Add("referral intake: POST /api/v1/referrals (201)", concurrency, result, ceilings[concurrency]);
}

// 3. The same at half of peak throughput, paced, for the latency target.
var half = await Load.Paced(peakThroughput / 2, options.Duration, i => api.PostReferral(partnerKey, 1_000_000 + i));
report.Add($"referral intake at half of peak ({peakThroughput / 2:0}/s offered)", 0, half);

// 4. Journey history page latency against store size.
var history = await Load.Run(1, TimeSpan.FromSeconds(5), _ => api.HistoryPage(api.LastParticipant!.Value));
report.Add($"history page of 50, store of {await database.EventCount():N0} events", 1, history);

report.AddFigure("host peak memory (VmHWM)", $"{host.PeakMemoryMegabytes():0} MB");
Console.WriteLine();
Console.WriteLine(report.Render());
if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report.Render());
    Console.WriteLine($"written to {output}");
}

return 0;

internal sealed record BenchOptions(string HostDll, TimeSpan Duration, int[] Concurrencies, string? Output)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var dll = Value("--host", Path.GetFullPath("src/WorkingConversations.Host/bin/Release/net10.0/WorkingConversations.Host.dll"));
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the host first (dotnet build -c Release src/WorkingConversations.Host): {dll}");
        var concurrencies = Value("--concurrency", "4,16").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        return new BenchOptions(dll, TimeSpan.FromSeconds(int.Parse(Value("--seconds", "10"), CultureInfo.InvariantCulture)), concurrencies,
            args.Contains("--output") ? Value("--output", "") : null);
    }
}

internal sealed record LoadResult(int Count, int Failures, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

internal static class Load
{
    public static async Task<LoadResult> Run(int concurrency, TimeSpan duration, Func<int, Task> operation)
    {
        var latencies = new List<double>[concurrency];
        var failures = 0;
        var counter = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            latencies[w] = [];
            while (stopwatch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                try { await operation(Interlocked.Increment(ref counter)); latencies[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds); }
                catch (HttpRequestException) { Interlocked.Increment(ref failures); }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadResult(all.Length, failures, stopwatch.Elapsed, all);
    }

    /// <summary>Offers a fixed rate (open loop), so latency is measured at that load rather than at saturation.</summary>
    public static async Task<LoadResult> Paced(double perSecond, TimeSpan duration, Func<int, Task> operation)
    {
        var interval = TimeSpan.FromSeconds(1 / Math.Max(perSecond, 1));
        var stopwatch = Stopwatch.StartNew();
        var tasks = new List<Task<double?>>();
        var i = 0;
        while (stopwatch.Elapsed < duration)
        {
            var n = i++;
            tasks.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                try { await operation(n); return (double?)Stopwatch.GetElapsedTime(start).TotalMilliseconds; }
                catch (HttpRequestException) { return null; }
            }));
            var next = interval * i;
            if (next > stopwatch.Elapsed) await Task.Delay(next - stopwatch.Elapsed);
        }

        var results = await Task.WhenAll(tasks);
        var ok = results.OfType<double>().ToArray();
        return new LoadResult(ok.Length, results.Length - ok.Length, stopwatch.Elapsed, ok);
    }
}

internal sealed class Database(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public static async Task<Database> Create(string server, string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"drop database if exists {name} with (force)", connection).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"create database {name}", connection).ExecuteNonQueryAsync();
        }

        return new Database(new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 200 }.ConnectionString);
    }

    public async Task<long> EventCount()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return (long)(await new NpgsqlCommand("select count(*) from events.mt_events", connection).ExecuteScalarAsync())!;
    }
}

internal static class Ceiling
{
    public static async Task<LoadResult> SingleInserts(Database database, int concurrency, TimeSpan duration)
    {
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("create table if not exists bench_ceiling (id bigserial primary key, body jsonb not null, at timestamptz not null default now())", connection).ExecuteNonQueryAsync();
        }

        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        return await Load.Run(concurrency, duration, async i =>
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("insert into bench_ceiling (body) values (@body::jsonb)", connection, transaction);
            insert.Parameters.AddWithValue("body", $"{{\"n\":{i}}}");
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        });
    }
}

internal static class Pgbench
{
    public static string? Find() =>
        new[] { "/usr/bin/pgbench" }.Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")) : [])
            .FirstOrDefault(File.Exists);

    public static double Run(string pgbench, Database database, int clients, TimeSpan duration)
    {
        var script = Path.GetTempFileName();
        File.WriteAllText(script, "insert into bench_ceiling (body) values ('{\"n\":1}');\n");
        var cs = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var info = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-n", "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username ?? "postgres",
                     "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", script, cs.Database! })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps", StringComparison.Ordinal)) ?? "tps = 0";
        return double.Parse(line.Split('=')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private long _peakKilobytes;

    private HostProcess(Process process, Uri baseAddress, string adminKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
    }

    public Uri BaseAddress { get; }
    public string AdminKey { get; }

    public static async Task<HostProcess> Start(string dll, Database database)
    {
        var port = 5200 + Random.Shared.Next(500);
        var adminKey = "wc_bench-admin-" + Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Postgres"] = database.ConnectionString;
        info.Environment["Auth__BootstrapAdminKey"] = adminKey;
        info.Environment["RateLimiting__PermitsPerWindow"] = "100000000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), adminKey);
        using var client = new HttpClient();
        for (var i = 0; i < 600; i++)
        {
            try { if ((await client.GetAsync(new Uri(host.BaseAddress, "/health/ready"))).IsSuccessStatusCode) return host; }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException("The host exited during start-up.");
            await Task.Delay(100);
        }

        throw new TimeoutException("The host did not become ready in 60 s.");
    }

    public double PeakMemoryMegabytes()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        if (status is not null) _peakKilobytes = long.Parse(status.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return _peakKilobytes / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

internal sealed class Api(Uri baseAddress, string adminKey)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = baseAddress };

    public Guid? LastParticipant { get; private set; }
    private string? _caseworkerKey;

    public async Task<string> PartnerKey()
    {
        var partner = await Send(adminKey, HttpMethod.Post, "/api/v1/partners", new { name = "Benchmark partner", contactEmail = "bench@partner.example" });
        var key = await Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "partner", name = "bench-partner", partnerId = partner.GetProperty("id").GetGuid() });
        _caseworkerKey = (await Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "caseworker", name = "bench-caseworker" })).GetProperty("key").GetString();
        return key.GetProperty("key").GetString()!;
    }

    public async Task PostReferral(string partnerKey, int n)
    {
        var body = new
        {
            partnerReference = $"B-{n}",
            person = new { givenName = "Bench" + Letters(n), familyName = "Person", dateOfBirth = "1985-06-15", postcode = "L8 1XY" },
            reason = "Benchmark referral",
            consent = new { given = true },
        };
        var created = await Send(partnerKey, HttpMethod.Post, "/api/v1/referrals", body);
        LastParticipant = created.GetProperty("participantId").GetGuid();
    }

    public async Task HistoryPage(Guid participant) =>
        await Send(_caseworkerKey!, HttpMethod.Get, $"/api/v1/participants/{participant}/history?limit=50", null);

    private async Task<JsonElement> Send(string key, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _client.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Distinct names, so that each referral is a new person rather than a duplicate.</summary>
    private static string Letters(int n)
    {
        var sb = new StringBuilder();
        do { sb.Append((char)('a' + n % 26)); n /= 26; } while (n > 0);
        return sb.ToString();
    }
}

internal sealed class Report
{
    private readonly List<string> _rows = [];

    public void Add(string what, int concurrency, LoadResult r, double? ceiling = null) =>
        _rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {(concurrency == 0 ? "paced" : concurrency.ToString(CultureInfo.InvariantCulture))} | {r.PerSecond:0.0}/s | {r.Percentile(50):0.0} | {r.Percentile(95):0.0} | {r.Percentile(99):0.0} | {(ceiling is { } c ? (r.PerSecond / c).ToString("0.000", CultureInfo.InvariantCulture) : "")} | {r.Failures} |"));

    public void AddFigure(string what, string value) => _rows.Add($"| {what} | | {value} | | | | | |");

    public string Render() =>
        "| measure | concurrency | rate | p50 ms | p95 ms | p99 ms | ratio to ceiling | failures |\n|---|---|---|---|---|---|---|---|\n" + string.Join('\n', _rows) + "\n";
}
