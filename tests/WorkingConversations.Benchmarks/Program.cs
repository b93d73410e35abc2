using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using WorkingConversations.ProcessRig;

// Measures the service against the machine's own ceiling, in one run, and prints a table (docs/performance.md).
// Usage: dotnet run -c Release --project tests/WorkingConversations.Benchmarks -- --host <path to WorkingConversations.Host.dll> [--seconds 10]
//        [--only intake|participant-page,dashboard|rebuild]   (just those parts, on a small store: a short run)
//        [--only intake,dashboard]   (the dashboard at its first size, the intake runs, then the dashboard at its larger sizes,
//        as the whole run orders them: the reports with the current month full of the intake's episodes)
//        [--demo-participants 2000] [--demo-concurrency 8]   (the demo seed the rebuild part measures over, through the HTTP API)
//        [--demo-database NAME]   (rebuild over a database seeded before, on WC_BENCH_POSTGRES, instead of seeding one)
//        [--log-statements]   (log_min_duration_statement = 0 on the throw-away cluster: every statement and its time)
//        [--host-env NAME=VALUE ...]   (an environment variable more for the host, printed with the settings: for a trial)
//        [--statement-stats]   (pg_stat_statements on the throw-away cluster: each intake run's statements, per referral, by family)
//        [--trace file.nettrace] [--trace-tool path]   (dotnet-trace's sampled thread time on the host during the last
//        new-person run; the tool from NuGet, dotnet-trace on the PATH unless given)
//        [--half-rate 470]   (the paced run offers this rate instead of half of the peak: two builds compared at one load)
//        [--wait-events]   (pg_stat_activity sampled every 50 ms during the paced run: what the active backends waited on)
//        [--cpu-timeline]   (every process's and the host's threads' CPU every 100 ms during the paced run: who had the
//        cores in the seconds of slow requests)
//        [--warm-up 10]   (seconds of new people's referrals at the highest concurrency before the intake runs, not counted:
//        the host's JIT tiers the request path up meanwhile, so that the runs measure the warm host; default 0)
//        (--host-env Operations__Projections__RunDaemon=false runs the host without the projection daemon; the parts that wait
//        for the outcome projection are then left out)
var options = BenchOptions.Parse(args);
var report = new Report();
Console.WriteLine($"Working Conversations benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
// The machine is shared: the load average says how far the figures can be trusted.
report.AddFigure("load average (1, 5, 15 min) at the start", LoadAverage.Read());

// A durable cluster (fsync on, as in production): the ceiling and the service pay the same price for a commit.
await using var cluster = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WC_BENCH_POSTGRES"))
    ? await ThrowAwayCluster.StartAsync("bench")
    : null;
var server = cluster?.ServerConnectionString ?? Environment.GetEnvironmentVariable("WC_BENCH_POSTGRES")!;
var database = await Database.Create(server, "wc_bench");
var hostSettings = BenchHost.Settings.Concat(options.HostEnvironment).ToDictionary();
// What the host runs with: a newcomer's settings, except what is printed here.
report.AddFigure("host: Production, Release build, pool of Database:MaxPoolSize (default 20, as in the README)", "settings the benchmark changes: " +
    string.Join("; ", hostSettings.Select(s => $"{s.Key}={(s.Key.EndsWith("Key", StringComparison.Ordinal) ? "(random for the run)" : s.Value)}")));
var databaseChanges = new List<string>();
if (options.LogStatements) databaseChanges.Add("log_min_duration_statement = 0 (every statement logged)");
if (options.StatementStats) databaseChanges.Add("shared_preload_libraries = pg_stat_statements, pg_stat_statements.track = all (statement statistics)");
report.AddFigure("database: the embedded cluster's own settings (fsync on, max_wal_size 8GB, checkpoint_timeout 15min)",
    databaseChanges.Count == 0 ? "unchanged" : "changed: " + string.Join("; ", databaseChanges));
// The statistics library loads only at server start: the throw-away cluster restarts once, before anything is measured.
var statements = options.StatementStats && cluster is not null ? await StatementStats.EnableAsync(cluster, database) : null;
if (options.StatementStats && cluster is null) Console.WriteLine("--statement-stats needs the benchmark's own cluster (not WC_BENCH_POSTGRES): left out.");
// Without the daemon on the host nothing folds the outcome projection, so nothing may wait for it.
var daemonRuns = !options.HostEnvironment.TryGetValue("Operations__Projections__RunDaemon", out var runDaemon) ||
                 !string.Equals(runDaemon, "false", StringComparison.OrdinalIgnoreCase);
// Every autovacuum and autoanalyze in the server's log with the CPU it took: which tables PostgreSQL's own upkeep went to.
if (options.CpuTimeline && cluster is not null) await Database.AlterSystem(server, "log_autovacuum_min_duration = 0");
if (options.LogStatements && cluster is not null)
{
    await Database.LogEveryStatement(server);
    Console.WriteLine($"The server's statement log: {Path.Combine(cluster.DataDirectory, "server.log")}");
}

var intakeOnly = options.Only.Contains("intake");

// 1. The ceiling: single-row INSERT transactions through Npgsql at the same concurrencies as the intake test.
var ceilings = new Dictionary<int, double>();
foreach (var concurrency in options.Only.Count == 0 || intakeOnly ? options.Concurrencies : [])
{
    var result = await Ceiling.SingleInserts(database, concurrency, options.Duration);
    ceilings[concurrency] = result.PerSecond;
    report.Add("ceiling: single-INSERT transactions (Npgsql)", concurrency, result);
}

// The headline ceiling: pgbench, PostgreSQL's own C client, running the same one-INSERT script on the same cluster.
var pgbenchTps = new Dictionary<int, double>();
if ((options.Only.Count == 0 || intakeOnly) && Pgbench.Find() is { } pgbench)
{
    foreach (var concurrency in options.Concurrencies)
    {
        var tps = Pgbench.Run(pgbench, database, concurrency, options.Duration);
        pgbenchTps[concurrency] = tps;
        report.AddFigure($"ceiling: pgbench one-INSERT script, {concurrency} clients", $"{tps:0} tps");
    }
}

// The ceilings' rows are of no further use, and left behind they would have autovacuum vacuum and analyze them in the
// middle of a later measured run (in a paced run's slow seconds: --cpu-timeline).
await database.Execute("drop table if exists bench_ceiling");

// The intake ratio's ceiling at a concurrency: pgbench's rate when pgbench is installed, else the Npgsql loop's.
double HeadlineCeiling(int concurrency) => pgbenchTps.TryGetValue(concurrency, out var tps) ? tps : ceilings[concurrency];

// Demo data: realistic journeys written through the API by the demo seed command, into a database of their own, and
// the rebuilds over them through the host's command line, as an operator runs them (no host runs against that database,
// so nothing competes with the rebuild for its projections). The rate counts every event in the store against the
// command's own rebuild time; the wall time adds the process start; the memory is the command's peak resident set.
void MeasureRebuild(Database store, long events, string what, string[] command)
{
    var rebuild = HostProcess.RunCommand(options.HostDll, store.ForHost, command, BenchHost.Settings, TimeSpan.FromHours(2));
    var line = string.Join(' ', command);
    if (rebuild.ExitCode != 0)
    {
        report.AddFigure($"`{line}`, {what}", $"failed: exit {rebuild.ExitCode}");
        foreach (var l in rebuild.Output.TakeLast(20)) Console.Error.WriteLine(l);
        return;
    }

    var took = RebuildLog.Total(rebuild.Output) ?? rebuild.Elapsed;
    report.AddFigure($"`{line}`, {what}: {events:N0} events",
        $"{events / took.TotalSeconds:0} events/s ({took.TotalSeconds:0.0} s rebuilding, {rebuild.Elapsed.TotalSeconds:0.0} s with process start; " +
        $"peak memory {rebuild.PeakMemoryMegabytes:0} MB)");
    if (RebuildLog.PerProjection(rebuild.Output) is { Length: > 0 } each && command.Length < 3)
        report.AddFigure($"  each projection's own rebuild time (one after another), {what}", each);
}

async Task MeasureDemoRebuild()
{
    Database demo;
    string seededHow;
    if (options.DemoDatabase is { } existing)
    {
        demo = Database.Existing(server, existing);
        seededHow = $"database {existing}, seeded before";
    }
    else
    {
        demo = await Database.Create(server, "wc_demo");
        var seeded = HostProcess.RunCommand(options.HostDll, demo.ForHost,
            ["demo", "seed", "--participants", options.DemoParticipants.ToString(CultureInfo.InvariantCulture), "--seed", "42",
                "--concurrency", options.DemoConcurrency.ToString(CultureInfo.InvariantCulture)], BenchHost.Settings, TimeSpan.FromHours(2));
        var seededEvents = await demo.EventCount();
        seededHow = seeded.ExitCode == 0 ? $"{seededEvents:N0} events in {seeded.Elapsed.TotalSeconds:0} s ({seededEvents / seeded.Elapsed.TotalSeconds:0} events/s)" : $"failed: exit {seeded.ExitCode}";
        report.AddFigure($"demo seed --participants {options.DemoParticipants:N0} --seed 42 --concurrency {options.DemoConcurrency} (through the HTTP API, simulated time)", seededHow);
        if (seeded.ExitCode != 0) return;
    }

    var events = await demo.EventCount();
    var what = options.DemoDatabase is null ? "demo journeys" : $"demo journeys ({seededHow})";
    // Every projection, then the episode rows alone: with the service's own command (the report cells recounted once at
    // the end) and with JasperFx's (the triggers fold every row as it is written), side by side.
    MeasureRebuild(demo, events, what, ["rebuild"]);
    MeasureRebuild(demo, events, what, ["rebuild", "--projection", "EpisodeOutcome"]);
    MeasureRebuild(demo, events, what, ["projections", "rebuild", "-p", "EpisodeOutcome"]);
}

if (options.Only.Contains("rebuild"))
{
    await MeasureDemoRebuild();
    report.AddFigure("load average (1, 5, 15 min) at the end", LoadAverage.Read());
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.Output is { } rebuildOutput) await File.WriteAllTextAsync(rebuildOutput, report.Render());
    return 0;
}

// 2. Referral intake through the real host (a separate process, Kestrel on loopback).
// The host's own log is kept: a projection or a handler that fails under load says so there, and nowhere else.
await using var host = new HostProcess(options.HostDll, database.ForHost, hostSettings, options.HostLog, "benchmark host");
await host.StartAsync();
// The pid, for a profiler to attach to (docs/performance.md, round 4).
Console.WriteLine($"The host's log: {host.LogFile} (pid {host.ProcessId})");
var api = new Api(host.BaseAddress, host.AdminKey);
var partnerKey = await api.PartnerKey();

// Journey replay at the smallest store size first, before the load tests add their own events: one journey of 500
// events, read while the store grows (the larger sizes are measured after the load tests, in section 5).
var (journeyParticipant, journeyEvents) = await api.LongJourney(partnerKey, 500);
async Task MeasureReplay(long target)
{
    // The copies are marked as already projected, which only the daemon may do while it runs: a progression row moved
    // under a running daemon stops that projection for good (ProgressionProgressOutOfOrderException). So the daemon
    // catches up with the real events first, and the host is stopped while the store grows.
    await database.WaitForAllProjections(TimeSpan.FromMinutes(2));
    await host.StopAsync();
    var size = await database.GrowEventsTo(target);
    await host.StartAsync();
    var historyPage = await Load.Run(1, TimeSpan.FromSeconds(3), _ => api.Get($"/api/v1/participants/{journeyParticipant}/history?limit=50&order=desc"));
    report.Add($"history page of 50, journey of {journeyEvents} events, store of {size:N0} events", 1, historyPage);
    var asOf = await Load.Run(1, TimeSpan.FromSeconds(3), _ => api.Get($"/api/v1/participants/{journeyParticipant}?version={journeyEvents - 1}"));
    report.Add($"as-of state at version {journeyEvents - 1}, store of {size:N0} events", 1, asOf);
}

if (options.Only.Count == 0 && daemonRuns) await MeasureReplay(options.StoreSizes[0]);

// A practitioner's participant page for a journey of 500 events, as the practitioner's browser asks for it (signed in
// through the sign-in form). Timed at the client on loopback, from the request to the last byte of the page: the host
// exposes no server timing of its own, so this includes the loopback hop and the client's share of the two cores.
async Task MeasureParticipantPage()
{
    var (practitionerId, practitionerKey) = await api.CertifiedPractitioner();
    var (participant, events) = await api.LongJourney(partnerKey, 500, practitionerId);
    var session = await api.SignIn(practitionerKey);
    var bytes = await api.GetPage($"/participants/{participant}", session);
    var page = await Load.Run(1, options.Duration, _ => api.GetPage($"/participants/{participant}", session));
    report.Add($"practitioner's participant page, journey of {events} events ({bytes / 1024:N0} KiB of HTML), time to last byte at the client", 1, page);
}

// The analyst summary at its first size now, before the intake runs add episodes of their own.
async Task MeasureSummary(int episodes)
{
    var count = await database.GrowEpisodesTo(episodes);
    var summary = await Load.Run(1, TimeSpan.FromSeconds(5), _ => api.Get("/api/v1/outcomes/summary?from=2020-01-01&to=2030-12-31&groupBy=month", asAnalyst: true));
    report.Add($"analyst summary by month, {count:N0} episodes", 1, summary);

    // The dashboard's reports and the page itself over the last year (targets: each report 50 ms, the page 1 s, p95).
    var today = DateOnly.FromDateTime(DateTime.UtcNow);
    var year = string.Create(CultureInfo.InvariantCulture, $"from={today.AddYears(-1).AddDays(1):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
    foreach (var route in new[] { "waiting-times", "staying-well", "wellbeing", "circumstances", "practitioner-cohorts", "trend" })
    {
        var result = await Load.Run(1, TimeSpan.FromSeconds(3), _ => api.Get($"/api/v1/outcomes/{route}?{year}", asAnalyst: true));
        report.Add($"analyst {route}, one year, {count:N0} episodes", 1, result);
    }

    var analyst = await api.SignIn(api.AnalystKey);
    // At least --seconds: near a second a page, five seconds would leave p95 to five samples.
    var dashboard = await Load.Run(1, TimeSpan.FromSeconds(Math.Max(5, options.Duration.TotalSeconds)), _ => api.GetPage($"/dashboard?{year}", analyst));
    report.Add($"analyst dashboard page, one year, {count:N0} episodes", 1, dashboard);
}

if (options.Only.Count > 0 && !intakeOnly)
{
    if (options.Only.Contains("participant-page")) await MeasureParticipantPage();
    if (options.Only.Contains("dashboard"))
    {
        await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(1));
        foreach (var episodes in options.EpisodeCounts) await MeasureSummary(episodes);
    }

    return await Finish();
}

// 3. Referral intake: new people at each concurrency, then people the service knows, then half of the peak, paced.
async Task<(double Peak, (Guid Referral, Guid Participant)[] Referred)> MeasureIntake()
{
    var peakThroughput = 0.0;
    var peakConcurrency = options.Concurrencies[0];
    var newPeople = new Dictionary<int, (int People, int Count, double PerSecond)>();
    if (options.WarmUp > TimeSpan.Zero)
    {
        // A freshly started host compiles the request path again at a higher tier while the first runs go on (the tiered
        // compilation thread took a third of the host's CPU in a profile of a first run): a cost of the start, which a
        // run of its own absorbs here. Its people are a range of their own.
        var warm = await Load.Run(options.Concurrencies.Max(), options.WarmUp, i => api.PostReferral(partnerKey, 90_000_000 + i));
        report.AddFigure($"warm-up: new people at {options.Concurrencies.Max()} connections for {options.WarmUp.TotalSeconds:0} s, not counted",
            $"{warm.Count} referrals, {warm.Failures} failures");
    }

    foreach (var (concurrency, run) in options.Concurrencies.Select((c, run) => (c, run)))
    {
        // Each run refers people no earlier run has: every referral is a new person, starting a journey.
        var people = (run + 1) * 10_000_000;
        // Each run starts from a daemon that has caught up, so that no run pays for the one before it.
        if (daemonRuns) await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(2));
        if (statements is not null) await statements.ResetAsync();
        // The profile, when asked for, covers the last new-person run (the highest concurrency given last): the tracer's
        // own cost falls on that run's CPU figures too.
        using var trace = options.Trace is not null && run == options.Concurrencies.Length - 1
            ? await HostTrace.StartAsync(options.TraceTool, host.ProcessId!.Value, options.Trace, options.Duration)
            : null;
        var cpu = CpuTime.Of(host.ProcessId, "wc_bench");
        var result = await Load.Run(concurrency, options.Duration, i => api.PostReferral(partnerKey, people + i));
        var duringLoad = cpu.PerOperation(result.Count);
        if (trace is not null) report.AddFigure("  profile of the host during this run (dotnet-trace, sampled thread time; its cost is in the CPU above)", await trace.StopAsync());
        newPeople[concurrency] = (people, result.Count, result.PerSecond);
        if (result.PerSecond > peakThroughput) (peakThroughput, peakConcurrency) = (result.PerSecond, concurrency);
        report.Add("referral intake: POST /api/v1/referrals (201)", concurrency, result, HeadlineCeiling(concurrency));
        report.AddFigure($"  CPU per referral, {concurrency} connections (host process; the database's backends)", duringLoad);
        if (daemonRuns)
        {
            // The daemon trails the load: what it still had to fold when the load stopped is a referral's cost too.
            var caught = await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(2));
            report.AddFigure($"  CPU per referral, {concurrency} connections, until the outcome projection caught up ({(caught is { } c ? $"{c.TotalMilliseconds:0} ms" : "not within 2 minutes")} after the load)",
                cpu.PerOperation(result.Count));
        }

        if (statements is not null) await statements.ReportAsync(report, $"{concurrency} connections", result.Count);
    }

    // People the service already knows, referred again while their episode is open, so each referral is attached to it:
    // the people of the new-person run at the same concurrency, again.
    foreach (var concurrency in options.Concurrencies)
    {
        var (people, count, newRate) = newPeople[concurrency];
        var cpu = CpuTime.Of(host.ProcessId, "wc_bench");
        var known = await Load.Run(concurrency, options.Duration, i => api.PostReferral(partnerKey, people + 1 + i % Math.Max(1, count)));
        report.Add("referral of a known person (attached to their open episode)", concurrency, known, HeadlineCeiling(concurrency));
        report.AddFigure($"  CPU per known person's referral, {concurrency} connections (host process; the database's backends)", cpu.PerOperation(known.Count));
        report.AddFigure($"known person / new person, {concurrency} connections",
            (known.PerSecond / newRate).ToString("0.00", CultureInfo.InvariantCulture));
    }

    report.AddFigure($"referral intake peak / pgbench at the same concurrency ({peakConcurrency})",
        pgbenchTps.TryGetValue(peakConcurrency, out var peakTps) ? (peakThroughput / peakTps).ToString("0.000", CultureInfo.InvariantCulture) : "pgbench not found");
    report.AddFigure($"referral intake peak / single-INSERT loop (Npgsql) at the same concurrency ({peakConcurrency})",
        (peakThroughput / ceilings[peakConcurrency]).ToString("0.000", CultureInfo.InvariantCulture));

    // The peak runs outpace the outcome projection (it is asynchronous); the steady load below starts once the daemon has
    // caught up, so that it measures a steady state, not the recovery from an overload.
    if (daemonRuns)
    {
        var caughtUp = await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(2));
        report.AddFigure("outcome projection caught up after the peak runs", caughtUp is { } cu ? $"{cu.TotalMilliseconds:0} ms" : "not within 2 minutes");
    }

    // At half of peak, paced (open loop): the latency a partner sees, and when a referral shows in the outcome projection.
    // --half-rate offers a given rate instead, so that two builds' tails are compared at the same load.
    var halfRate = options.HalfRate ?? peakThroughput / 2;
    var referred = new System.Collections.Concurrent.ConcurrentBag<(Guid Referral, Guid Participant)>();
    if (options.WarmUp > TimeSpan.Zero)
    {
        // The paced path is code of its own on both sides (the client's open loop; the host at a load where its workers
        // wait for work): run it uncounted first, straight into the measured run, so that the JIT tiering it up (a burst
        // of 100 ms of a core or more on a side, in the seconds of slow requests: --cpu-timeline) is not measured.
        var pacedWarmUp = TimeSpan.FromSeconds(Math.Min(10, options.WarmUp.TotalSeconds));
        var warmPaced = await Load.Paced(halfRate, pacedWarmUp, i => api.PostReferral(partnerKey, 95_000_000 + i));
        report.AddFigure($"warm-up: the paced run's rate for {pacedWarmUp.TotalSeconds:0} s, not counted", $"{warmPaced.Count} referrals, {warmPaced.Failures} failures, p99 {warmPaced.Percentile(99).ToString("0.0", CultureInfo.InvariantCulture)} ms");
    }

    var halfCpu = CpuTime.Of(host.ProcessId, "wc_bench");
    await using var halfProfile = PacedRunProfile.Start(database.ConnectionString, "wc_bench", options.WaitEvents, host.ProcessId, options.CpuTimeline);
    var halfStarted = DateTimeOffset.UtcNow;
    var half = await Load.Paced(halfRate, options.Duration, async i => referred.Add(await api.PostReferral(partnerKey, 1_000_000 + i)));
    report.Add($"referral intake at {(options.HalfRate is null ? "half of peak" : "the rate given (--half-rate)")} ({halfRate:0}/s offered, from {halfStarted:HH:mm:ss} UTC)", 0, half);
    report.AddFigure("  CPU per referral, paced (host process; the database's backends)", halfCpu.PerOperation(half.Count));
    foreach (var (what, value) in await halfProfile.StopAsync(half, slowMs: 30)) report.AddFigure(what, value);
    if (options.CpuTimeline && cluster is not null)
        report.AddFigure("  autovacuum and autoanalyze during the paced run, by table (runs, CPU from the server log)",
            PacedRunProfile.AutovacuumSince(Path.Combine(cluster.DataDirectory, "server.log"), halfStarted));

    var halfStopped = DateTimeOffset.UtcNow;
    if (!daemonRuns)
    {
        report.AddFigure("outcome projection", "not measured: the host ran without the projection daemon");
        return (peakThroughput, referred.ToArray());
    }

    var (toProjection, projectionDrained) = await database.ProjectionLatency(referred.Select(r => r.Participant).ToArray(), halfStopped, TimeSpan.FromSeconds(60));
    report.Add("referral committed -> its row in the outcome projection (daemon), from database times", 0, toProjection);
    report.AddFigure("outcome projection backlog drained after the intake load stopped",
        projectionDrained is { } pd ? $"{pd.TotalMilliseconds:0} ms" : "not within 60 s");
    return (peakThroughput, referred.ToArray());
}

if (intakeOnly || !daemonRuns)
{
    if (!intakeOnly) Console.WriteLine("Without the projection daemon only the intake part runs.");
    // With the dashboard, in the whole run's order: its first size before the intake runs, the others after them, when the
    // current month holds the intake's new episodes (and, at the larger sizes, their copies).
    var withDashboard = intakeOnly && daemonRuns && options.Only.Contains("dashboard");
    if (withDashboard)
    {
        await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(1));
        await MeasureSummary(options.EpisodeCounts[0]);
    }

    await MeasureIntake();
    if (withDashboard)
    {
        await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(2));
        foreach (var episodes in options.EpisodeCounts.Skip(1)) await MeasureSummary(episodes);
    }

    return await Finish();
}

// The episode rows are copies of the long journey's own, so the daemon must have written it first.
await database.WaitForProjection("EpisodeOutcome", TimeSpan.FromMinutes(1));
await MeasureSummary(options.EpisodeCounts[0]);
await MeasureParticipantPage();
var (peakThroughput, toAccept) = await MeasureIntake();

// The cross-module hop: accepting publishes a message through the outbox; Conversations opens the episode. Offered at a
// quarter of the referral peak (an accept costs two handled messages), timed from the two events' commit times.
var accepted = new System.Collections.Concurrent.ConcurrentBag<Guid>();
var acceptLoad = await Load.Paced(peakThroughput / 4, options.Duration, async i =>
{
    if (i >= toAccept.Length) return;
    await api.Accept(toAccept[i].Referral);
    accepted.Add(toAccept[i].Participant);
});
var loadStopped = DateTimeOffset.UtcNow;
report.Add($"accept at a quarter of referral peak ({peakThroughput / 4:0}/s offered)", 0, acceptLoad);
var (handoff, drained) = await database.MessageLatency(accepted.ToArray(), loadStopped, TimeSpan.FromSeconds(60));
report.Add("accept -> episode opened by Conversations (durable outbox message), from event times", 0, handoff);
report.AddFigure("message backlog drained after the accept load stopped", drained is { } d ? $"{d.TotalMilliseconds:0} ms" : "not within 60 s");

// 4. Demo data and the rebuild over it (MeasureDemoRebuild, above).
await MeasureDemoRebuild();

// 5. Journey replay as the store grows to its larger sizes.
foreach (var target in options.StoreSizes.Skip(1)) await MeasureReplay(target);

// 6. Analyst summary at its larger sizes.
foreach (var episodes in options.EpisodeCounts.Skip(1)) await MeasureSummary(episodes);

return await Finish();

async Task<int> Finish()
{
    report.AddFigure("host peak memory (VmHWM)", $"{host.PeakMemoryMegabytes():0} MB");
    report.AddFigure("load average (1, 5, 15 min) at the end", LoadAverage.Read());
    Console.WriteLine();
    Console.WriteLine(report.Render());
    if (options.Output is { } output)
    {
        await File.WriteAllTextAsync(output, report.Render());
        Console.WriteLine($"written to {output}");
    }

    return 0;
}

/// <summary>
/// CPU time (user and system, from /proc) of the host process and of the PostgreSQL backends serving one database, from
/// when it was taken: what one operation costs each side, which a shared machine's load disturbs far less than a rate.
/// Backends that end in between are not counted; the host keeps its pool's connections open through a run.
/// </summary>
internal sealed class CpuTime(int? hostPid, string database, double host, double backends)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuTime Of(int? hostPid, string database) => new(hostPid, database, Host(hostPid), Backends(database));

    public string PerOperation(int operations)
    {
        if (operations == 0 || !OperatingSystem.IsLinux()) return "not measured";
        var host = (Host(hostPid) - hostStart) * 1000 / operations;
        var db = (Backends(database) - backendStart) * 1000 / operations;
        return string.Create(CultureInfo.InvariantCulture, $"{host:0.00} ms; {db:0.00} ms");
    }

    private readonly double hostStart = host;
    private readonly double backendStart = backends;

    private static double Host(int? pid) => pid is { } p ? Seconds($"/proc/{p}/stat") : 0;

    private static double Backends(string database)
    {
        if (!Directory.Exists("/proc")) return 0;
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.StartsWith("postgres: ", StringComparison.Ordinal) && cmdline.Contains($" {database} ", StringComparison.Ordinal))
                    total += Seconds(Path.Combine(dir, "stat"));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        return total;
    }

    private static double Seconds(string stat)
    {
        try { return (ProcStat.Read(stat)?.Ticks ?? 0) / TicksPerSecond; }
        catch (IOException) { return 0; }
    }
}

/// <summary>A process's or a thread's <c>/proc/.../stat</c>: its command name and the CPU it has used, in clock ticks.</summary>
internal static class ProcStat
{
    public static (string Comm, long Ticks)? Read(string path)
    {
        var text = File.ReadAllText(path);
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var fields = text[(close + 2)..].Split(' ');
        // After the command: state is field 3, utime field 14 and stime field 15 (1-based, proc(5)).
        return (text[(open + 1)..close], long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// dotnet-trace attached to the host for one run: sampled thread time, the profile the runtime offers without privileges.
/// The tool stops itself after the run's length; what it printed is kept for the table.
/// </summary>
internal sealed class HostTrace(Process tracer, string output) : IDisposable
{
    public static async Task<HostTrace> StartAsync(string tool, int pid, string output, TimeSpan duration)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
                     "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", output })
            info.ArgumentList.Add(arg);
        return await StartAsync(info, output);
    }

    private static async Task<HostTrace> StartAsync(ProcessStartInfo info, string output)
    {
        if (File.Exists(output)) File.Delete(output);
        var tracer = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        // Its progress lines are read and dropped, so that a full pipe never stops it.
        tracer.OutputDataReceived += (_, _) => { };
        tracer.BeginOutputReadLine();
        // The session is open once the tool says so; the load starts after that, not before.
        var started = DateTimeOffset.UtcNow;
        while (!File.Exists(output) && !tracer.HasExited && DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        return new HostTrace(tracer, output);
    }

    public async Task<string> StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try { await tracer.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { tracer.Kill(); return $"{output} (the tool did not stop in time)"; }
        return File.Exists(output) ? $"{output} ({new FileInfo(output).Length / 1024:N0} KiB)" : $"no trace: {await tracer.StandardError.ReadToEndAsync()}";
    }

    public void Dispose() => tracer.Dispose();
}

internal static class LoadAverage
{
    public static string Read() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}

internal sealed record BenchOptions(string HostDll, TimeSpan Duration, int[] Concurrencies, long[] StoreSizes, int[] EpisodeCounts, int DemoParticipants, string? Output,
    string HostLog, IReadOnlySet<string> Only, bool LogStatements, IReadOnlyDictionary<string, string> HostEnvironment, bool StatementStats,
    int DemoConcurrency = 8, string? DemoDatabase = null, string? Trace = null, string TraceTool = "dotnet-trace", TimeSpan WarmUp = default,
    double? HalfRate = null, bool WaitEvents = false, bool CpuTimeline = false)
{
    private static readonly string[] Parts = ["intake", "participant-page", "dashboard", "rebuild"];

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
            Value("--store-sizes", "10000,1000000").Split(',').Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
            Value("--episodes", "20000,200000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Value("--demo-participants", "2000"), CultureInfo.InvariantCulture),
            args.Contains("--output") ? Value("--output", "") : null,
            Value("--host-log", Path.Combine(Path.GetTempPath(), $"wc-bench-host-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.log")),
            OnlyParts(Value("--only", "")), args.Contains("--log-statements"),
            args.Select((a, i) => (a, i)).Where(x => x.a == "--host-env" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
            args.Contains("--statement-stats"),
            int.Parse(Value("--demo-concurrency", "8"), CultureInfo.InvariantCulture),
            args.Contains("--demo-database") ? Value("--demo-database", "") : null,
            args.Contains("--trace") ? Path.GetFullPath(Value("--trace", "")) : null,
            Value("--trace-tool", "dotnet-trace"),
            TimeSpan.FromSeconds(int.Parse(Value("--warm-up", "0"), CultureInfo.InvariantCulture)),
            args.Contains("--half-rate") ? double.Parse(Value("--half-rate", ""), CultureInfo.InvariantCulture) : null,
            args.Contains("--wait-events"), args.Contains("--cpu-timeline"));
    }

    private static HashSet<string> OnlyParts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (parts.FirstOrDefault(p => !Parts.Contains(p)) is { } unknown)
            throw new ArgumentException($"--only takes {string.Join(", ", Parts)}, not {unknown}.");
        if (parts.Contains("intake") && parts.Except(["intake", "dashboard"]).Any())
            throw new ArgumentException("--only intake runs alone or with the dashboard (intake,dashboard).");
        if (parts.Contains("rebuild") && parts.Count > 1) throw new ArgumentException("--only rebuild runs alone.");
        return parts;
    }
}

/// <summary>A run's outcome; a paced run also keeps when each answered request was sent (ms after the run's start).</summary>
internal sealed record LoadResult(int Count, int Failures, TimeSpan Elapsed, double[] LatenciesMs, double[]? SentAtMs = null)
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
        var tasks = new List<Task<(double SentAt, double Ms)?>>();
        var i = 0;
        while (stopwatch.Elapsed < duration)
        {
            var n = i++;
            tasks.Add(Task.Run(async () =>
            {
                var sentAt = stopwatch.Elapsed.TotalMilliseconds;
                var start = Stopwatch.GetTimestamp();
                try { await operation(n); return ((double, double)?)(sentAt, Stopwatch.GetElapsedTime(start).TotalMilliseconds); }
                catch (HttpRequestException) { return null; }
            }));
            // Read the clock once: on a busy machine it can pass the next start between a check and the wait.
            var wait = interval * i - stopwatch.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }

        var results = await Task.WhenAll(tasks);
        var ok = results.Where(r => r is not null).Select(r => r!.Value).ToArray();
        return new LoadResult(ok.Length, results.Length - ok.Length, stopwatch.Elapsed, ok.Select(r => r.Ms).ToArray(), ok.Select(r => r.SentAt).ToArray());
    }
}

/// <summary>Reads the JasperFx rebuild command's own timings ("Finished rebuilding X in N ms", "Finished rebuild in N ms").</summary>
internal static partial class RebuildLog
{
    [System.Text.RegularExpressions.GeneratedRegex(@"Finished rebuilding (\w+) in (\d+) ms")]
    private static partial System.Text.RegularExpressions.Regex Projection();

    [System.Text.RegularExpressions.GeneratedRegex(@"Finished rebuild in (\d+) ms")]
    private static partial System.Text.RegularExpressions.Regex Whole();

    // The service's own command: "Rebuilt EpisodeOutcome in 1.2 s", "Rebuilt 5 projection(s) in 3.4 s".
    [System.Text.RegularExpressions.GeneratedRegex(@"^Rebuilt ([A-Za-z]\w*) in ([\d.]+) s")]
    private static partial System.Text.RegularExpressions.Regex OwnProjection();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Rebuilt \d+ projection\(s\) in ([\d.]+) s")]
    private static partial System.Text.RegularExpressions.Regex OwnWhole();

    public static TimeSpan? Total(IEnumerable<string> output) =>
        output.Select(l => Whole().Match(l)).Where(m => m.Success).Select(m => TimeSpan.FromMilliseconds(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))
            .Concat(output.Select(l => OwnWhole().Match(l)).Where(m => m.Success)
                .Select(m => TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))))
            .Cast<TimeSpan?>().LastOrDefault();

    public static string PerProjection(IEnumerable<string> output) =>
        string.Join(", ", output.Select(l => Projection().Match(l)).Where(m => m.Success)
            .Select(m => (Name: m.Groups[1].Value, Ms: (double)int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .Concat(output.Select(l => OwnProjection().Match(l)).Where(m => m.Success)
                .Select(m => (Name: m.Groups[1].Value, Ms: 1000 * double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))))
            .OrderByDescending(p => p.Ms).Select(p => $"{p.Name} {p.Ms / 1000.0:0.0} s"));
}

internal sealed class Database(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The same database without the benchmark's own pool size, so the host sizes its pool as it would in use.</summary>
    public string ForHost
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            builder.Remove("Maximum Pool Size");
            return builder.ConnectionString;
        }
    }

    /// <summary>A database already on the server (one seeded before), as it is.</summary>
    public static Database Existing(string server, string name) =>
        new(new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 200 }.ConnectionString);

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

    /// <summary>
    /// For each accepted participant, the time from the referral-accepted event to the episode-opened event that
    /// Conversations appended on receiving the message; and when the last one landed relative to the end of the load.
    /// </summary>
    public async Task<(LoadResult Latency, TimeSpan? Drained)> MessageLatency(Guid[] participants, DateTimeOffset loadStopped, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            await using var command = new NpgsqlCommand("""
                select a.timestamp, o.timestamp from unnest(@ids) as p(id)
                join events.mt_events a on a.stream_id = p.id and a.type = 'referral-accepted'
                left join events.mt_events o on o.stream_id = p.id and o.type = 'episode-opened'
                """, connection);
            command.Parameters.AddWithValue("ids", participants);
            var rows = new List<(DateTimeOffset Accepted, DateTimeOffset? Opened)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    rows.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
            }

            var done = rows.All(r => r.Opened is not null) && rows.Count == participants.Length;
            if (done || DateTimeOffset.UtcNow > deadline)
            {
                var latencies = rows.Where(r => r.Opened is not null).Select(r => (r.Opened!.Value - r.Accepted).TotalMilliseconds).ToArray();
                var last = rows.Where(r => r.Opened is not null).Select(r => r.Opened!.Value).DefaultIfEmpty(loadStopped).Max();
                return (new LoadResult(latencies.Length, participants.Length - latencies.Length, TimeSpan.FromSeconds(1), latencies),
                    done ? (last > loadStopped ? last - loadStopped : TimeSpan.Zero) : null);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// For each referral, from its event's commit to the daemon's write of its episode row (both the server's clock),
    /// and when the last row was written relative to the end of the load.
    /// </summary>
    public async Task<(LoadResult Latency, TimeSpan? Drained)> ProjectionLatency(Guid[] participants, DateTimeOffset loadStopped, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            await using var command = new NpgsqlCommand("""
                select e.timestamp, d.mt_last_modified from unnest(@ids) as p(id)
                join events.mt_events e on e.stream_id = p.id and e.type = 'referral-received'
                left join outcomes.mt_doc_episodeoutcome d on d.id = replace(p.id::text, '-', '') || ':1'
                """, connection);
            command.Parameters.AddWithValue("ids", participants);
            var rows = new List<(DateTimeOffset Committed, DateTimeOffset? Projected)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    rows.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
            }

            var done = rows.Count == participants.Length && rows.All(r => r.Projected is not null);
            if (done || DateTimeOffset.UtcNow > deadline)
            {
                var latencies = rows.Where(r => r.Projected is not null).Select(r => Math.Max(0, (r.Projected!.Value - r.Committed).TotalMilliseconds)).ToArray();
                var last = rows.Where(r => r.Projected is not null).Select(r => r.Projected!.Value).DefaultIfEmpty(loadStopped).Max();
                return (new LoadResult(latencies.Length, participants.Length - latencies.Length, TimeSpan.FromSeconds(1), latencies),
                    done ? (last > loadStopped ? last - loadStopped : TimeSpan.Zero) : null);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Grows the event store with copies of an existing event on new streams (50 events each), marked as already projected.</summary>
    public async Task<long> GrowEventsTo(long target)
    {
        var current = await EventCount();
        if (current >= target) return current;
        var streams = (int)Math.Ceiling((target - current) / 50.0);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var eventColumns = await Columns(connection, "events", "mt_events");
        var streamColumns = await Columns(connection, "events", "mt_streams");
        string Pick(string column, IReadOnlyDictionary<string, string> overrides, string alias) => overrides.TryGetValue(column, out var v) ? v : $"{alias}.{column}";
        var streamSelect = string.Join(", ", streamColumns.Select(c => Pick(c, new Dictionary<string, string> { ["id"] = "n.id", ["version"] = "50" }, "src")));
        var eventSelect = string.Join(", ", eventColumns.Select(c => Pick(c, new Dictionary<string, string>
        {
            ["seq_id"] = "nextval('events.mt_events_sequence')", ["id"] = "gen_random_uuid()", ["stream_id"] = "n.id", ["version"] = "v", ["timestamp"] = "now()",
        }, "src")));
        var sql = $"""
            create temp table new_streams as select gen_random_uuid() as id from generate_series(1, {streams});
            insert into events.mt_streams ({string.Join(", ", streamColumns)})
              select {streamSelect} from new_streams n cross join (select * from events.mt_streams limit 1) src;
            insert into events.mt_events ({string.Join(", ", eventColumns)})
              select {eventSelect} from new_streams n cross join generate_series(1, 50) v
              cross join (select * from events.mt_events where type = 'questionnaire-recorded' limit 1) src;
            drop table new_streams;
            """;
        await using (var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 }) await command.ExecuteNonQueryAsync();
        await using (var progress = new NpgsqlCommand("""
            do $$ begin
              if to_regclass('events.mt_event_progression') is not null then
                update events.mt_event_progression set last_seq_id = (select max(seq_id) from events.mt_events);
              end if;
            end $$;
            """, connection)) await progress.ExecuteNonQueryAsync();
        // PostgreSQL's autovacuum vacuums a table after so many inserts, and on two cores its pass over a million fresh
        // events would share the CPU with whatever is measured next. The store is vacuumed here, as autovacuum would.
        await using (var vacuum = new NpgsqlCommand("vacuum analyze events.mt_events, events.mt_streams", connection) { CommandTimeout = 1200 })
            await vacuum.ExecuteNonQueryAsync();
        return await EventCount();
    }

    /// <summary>Grows the episode-outcome projection with copies of existing rows spread over 24 months and new ids.</summary>
    public async Task<long> GrowEpisodesTo(int target)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        const string table = "outcomes.mt_doc_episodeoutcome";
        async Task<long> Count()
        {
            await using var count = new NpgsqlCommand($"select count(*) from {table}", connection);
            return (long)(await count.ExecuteScalarAsync())!;
        }

        var current = await Count();
        if (current >= target || current == 0) return current;
        var columns = await Columns(connection, "outcomes", "mt_doc_episodeoutcome");
        var month = "((copy.g % 24) || ' months')::interval";
        // Copies of a handful of rows would all wait exactly as long, and an exact percentile over thousands of equal
        // values is not what real waits look like: each copy waits 0 to 12 whole weeks longer for its acceptance (and so
        // its first conversation), with its histogram and band cells moved to match (the JSON keeps the source's times).
        const string weeks = "(copy.g % 13)";
        var select = string.Join(", ", columns.Select(c => c switch
        {
            "id" => "src.id || ':copy:' || copy.g",
            "data" => $"jsonb_set(src.data, '{{ReceivedAt}}', to_jsonb(((src.data->>'ReceivedAt')::timestamptz - {month})))",
            _ when c.Contains("received", StringComparison.OrdinalIgnoreCase) => $"src.{c} - {month}",
            "days_to_accept" or "days_to_first" => $"src.{c} + {weeks} * 7",
            "report_cells" => WaitCells,
            _ => $"src.{c}",
        }));
        // Whole copies of the real rows, as many rounds as needed: one linear pass, not a lookup per row.
        var rounds = (int)Math.Ceiling((target - current) / (double)current);
        var sql = $"insert into {table} ({string.Join(", ", columns)}) select {select} from generate_series(1, {rounds}) r " +
                  $"cross join lateral (select row_number() over () as n, * from {table}) src " +
                  $"cross join lateral (select (r - 1) * {current} + src.n + {current} as g) copy " +
                  $"where copy.g <= {target}; analyze {table};";
        await using (var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 }) await command.ExecuteNonQueryAsync();
        // The bulk copy updated each rollup cell thousands of times in one go; the service's autovacuum settings for those
        // tables clear such dead versions within a minute, which the measurement does not wait for. The episode rows are
        // vacuumed as autovacuum would after so many inserts, so that index-only reads of them need not visit the table.
        // The daily cells exist from the version that reads a period's edge days from them; an older host has none.
        var rollups = new List<string>();
        await using (var exists = new NpgsqlCommand(
            "select t from unnest(array['outcomes.episode_outcome_monthly', 'outcomes.episode_outcome_cells', 'outcomes.episode_outcome_daily', 'outcomes.episode_outcome_cells_daily']) t where to_regclass(t) is not null",
            connection))
        await using (var reader = await exists.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rollups.Add(reader.GetString(0));
        await using (var vacuum = new NpgsqlCommand($"vacuum analyze {string.Join(", ", rollups.Append(table))}", connection) { CommandTimeout = 600 })
            await vacuum.ExecuteNonQueryAsync();
        return await Count();
    }

    private const string WaitCells = """
        array(select x from (select case
            when f like 'wait:h:accept:%' or f like 'wait:h:seen:%' then regexp_replace(f, '[-0-9]+$', '') || ((regexp_replace(f, '^.*:', ''))::bigint + (copy.g % 13))::text
            when f like 'wait:band:%' then (select 'wait:band:' || case when v <= 14 then 0 when v <= 28 then 1 when v <= 42 then 2 when v <= 84 then 3 when v <= 126 then 4 else 5 end
                                            from (select src.days_to_first + (copy.g % 13) * 7 as v) w)
            else f end as x from unnest(src.report_cells) f) c where x is not null)
        """;

    private static async Task<List<string>> Columns(NpgsqlConnection connection, string schema, string table)
    {
        await using var command = new NpgsqlCommand("select column_name from information_schema.columns where table_schema = @s and table_name = @t order by ordinal_position", connection);
        command.Parameters.AddWithValue("s", schema);
        command.Parameters.AddWithValue("t", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        return columns;
    }

    /// <summary>How long until the projection's progress reaches the newest event, or null on time-out.</summary>
    public async Task<TimeSpan?> WaitForProjection(string projection, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (stopwatch.Elapsed < timeout)
        {
            await using var command = new NpgsqlCommand("""
                select coalesce((select max(last_seq_id) from events.mt_event_progression where name like @name), 0)
                    >= coalesce((select max(seq_id) from events.mt_events), 0)
                """, connection);
            command.Parameters.AddWithValue("name", projection + ":%");
            if ((bool)(await command.ExecuteScalarAsync())!) return stopwatch.Elapsed;
            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>Waits until every asynchronous projection has reached the newest event; false on time-out.</summary>
    public async Task<bool> WaitForAllProjections(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (stopwatch.Elapsed < timeout)
        {
            await using var command = new NpgsqlCommand("""
                select coalesce((select min(last_seq_id) from events.mt_event_progression where name like '%:%'), 0)
                    >= coalesce((select max(seq_id) from events.mt_events), 0)
                """, connection);
            if ((bool)(await command.ExecuteScalarAsync())!) return true;
            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Every statement and its duration in the server's log, from now on (the benchmark's own cluster only).</summary>
    public static Task LogEveryStatement(string server) => AlterSystem(server, "log_min_duration_statement = 0");

    /// <summary>A server setting changed and the configuration reloaded (the benchmark's own cluster only).</summary>
    public static async Task AlterSystem(string server, string setting)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand($"alter system set {setting}", connection).ExecuteNonQueryAsync();
        await new NpgsqlCommand("select pg_reload_conf()", connection).ExecuteNonQueryAsync();
    }

    public async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
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

/// <summary>The settings the benchmark runs the host with: no rate limit in the way of the load.</summary>
internal static class BenchHost
{
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["RateLimiting__PermitsPerWindow"] = "100000000",
        // The load is the point of the benchmark: one partner's intake is not limited here as it is in service.
        ["RateLimiting__Referrals__PermitsPerWindow"] = "100000000",
        ["RateLimiting__Referrals__InFlight"] = "100000",
        // A Production host refuses the development keys; the run's own keys hold for the run's host and commands alike.
        ["Referrals__MatchKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Referrals__IdentityEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Journey__AuditKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };
}

internal sealed class Api(Uri baseAddress, string adminKey)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = baseAddress };
    private string? _caseworkerKey;
    private string? _analystKey;

    public async Task<string> PartnerKey()
    {
        var partner = await Send(adminKey, HttpMethod.Post, "/api/v1/partners", new { name = "Benchmark partner", contactEmail = "bench@partner.example" });
        var key = await Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "partner", name = "bench-partner", partnerId = partner.GetProperty("id").GetGuid() });
        _caseworkerKey = (await Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "caseworker", name = "bench-caseworker" })).GetProperty("key").GetString();
        _analystKey = (await Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "analyst", name = "bench-analyst" })).GetProperty("key").GetString();
        return key.GetProperty("key").GetString()!;
    }

    /// <summary>A new person each time (distinct given names), so every referral starts a journey.</summary>
    public async Task<(Guid Referral, Guid Participant)> PostReferral(string partnerKey, int n)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"partnerReference":"B-{{{n}}}","person":{"givenName":"Bench{{{Letters(n)}}}","familyName":"Person","dateOfBirth":"1985-06-15","postcode":"L8 1XY"},"reason":"Benchmark referral","consent":{"given":true}}""");
        var created = await SendRaw(partnerKey, HttpMethod.Post, "/api/v1/referrals", body);
        return (created.GetProperty("id").GetGuid(), created.GetProperty("participantId").GetGuid());
    }

    public Task Accept(Guid referral) => SendRaw(_caseworkerKey!, HttpMethod.Post, $"/api/v1/referrals/{referral}/accept", "{}");

    /// <summary>
    /// One participant with <paramref name="events"/> journey events: referral, acceptance, the episode opened, the
    /// practitioner's assignment when one is given, then questionnaires.
    /// </summary>
    public async Task<(Guid Participant, int Events)> LongJourney(string partnerKey, int events, Guid? practitionerId = null)
    {
        var (referral, participant) = await PostReferral(partnerKey, practitionerId is null ? 900_000_000 : 900_000_001);
        await Accept(referral);
        await Task.Delay(1000); // Conversations opens the episode by message: one more event.
        if (practitionerId is { } assigned)
        {
            // Conversations hears that the practitioner is cleared by a message: until then the assignment is refused.
            await Until(() => SendRaw(_caseworkerKey!, HttpMethod.Post, $"/api/v1/participants/{participant}/practitioner",
                JsonSerializer.Serialize(new { practitionerId = assigned }, JsonSerializerOptions.Web)));
        }

        var fixedEvents = practitionerId is null ? 3 : 4;
        for (var i = 0; i < events - fixedEvents; i++)
        {
            await SendRaw(_caseworkerKey!, HttpMethod.Post, $"/api/v1/participants/{participant}/questionnaires", string.Create(CultureInfo.InvariantCulture,
                $$"""{"instrument":"GAD-7","timepoint":"session","answers":[{{i % 4}},1,1,1,1,1,1],"administeredAt":"2026-11-01T10:00:00Z"}"""));
        }

        return (participant, events);
    }

    public string AnalystKey => _analystKey!;

    /// <summary>A volunteer taken through training to certification by a trainer, and a practitioner key for them.</summary>
    public async Task<(Guid Id, string Key)> CertifiedPractitioner()
    {
        var trainer = (await Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "trainer", name = "bench-trainer" })).GetProperty("key").GetString()!;
        var enrolled = await Send(trainer, HttpMethod.Post, "/api/v1/volunteers",
            new { givenName = "Bench", familyName = "Practitioner", email = "practitioner@bench.example", programme = "volunteer" });
        var id = enrolled.GetProperty("id").GetGuid();
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (var round = 0; round < 50; round++)
        {
            var progress = await Send(trainer, HttpMethod.Get, $"/api/v1/volunteers/{id}", null);
            var unmet = progress.GetProperty("next").ValueKind == JsonValueKind.Null
                ? []
                : progress.GetProperty("next").GetProperty("requirements").EnumerateArray()
                    .Where(r => !r.GetProperty("met").GetBoolean()).Select(r => r.GetProperty("requirement").GetString()!).ToArray();
            if (unmet.Length == 0) break;
            foreach (var requirement in unmet)
            {
                _ = requirement switch
                {
                    _ when requirement.StartsWith("module:", StringComparison.Ordinal) => await Send(trainer, HttpMethod.Post,
                        $"/api/v1/volunteers/{id}/modules/{Uri.EscapeDataString(requirement["module:".Length..])}/assessment",
                        new { passed = true, score = 100, assessedBy = "Trainer T", assessedOn = today }),
                    "practice-hours" => await Send(trainer, HttpMethod.Post, $"/api/v1/volunteers/{id}/practice-hours", new { hours = 12m, supervisedBy = "Supervisor S", on = today }),
                    "supervision-sessions" => await Send(trainer, HttpMethod.Post, $"/api/v1/volunteers/{id}/supervision", new { supervisor = "Supervisor S", on = today, note = (string?)null }),
                    "dbs-check" => await Send(trainer, HttpMethod.Post, $"/api/v1/volunteers/{id}/dbs-check",
                        new { eligibility = "eligible", level = "enhanced", issuedOn = today, updateService = false }),
                    _ => throw new InvalidOperationException($"The benchmark does not know how to meet the requirement {requirement}."),
                };
            }
        }

        await Send(trainer, HttpMethod.Post, $"/api/v1/volunteers/{id}/certify", new { });
        // Access hears of the new practitioner by a message: until then a key for them is refused.
        var key = await Until(() => Send(adminKey, HttpMethod.Post, "/api/v1/api-keys", new { role = "practitioner", name = "bench-practitioner", practitionerId = id }));
        return (id, key.GetProperty("key").GetString()!);
    }

    private static async Task<JsonElement> Until(Func<Task<JsonElement>> call)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try { return await call(); }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
        }
    }

    // Pages carry their cookies by hand: the session cookie is Secure, which a cookie jar keeps off plain http.
    private readonly HttpClient _pages = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    /// <summary>Signs a key's holder in through the sign-in form, as a browser would, and returns the session cookie (sent by hand: it is Secure).</summary>
    public async Task<string> SignIn(string key)
    {
        using var form = await _pages.GetAsync("/sign-in");
        var page = await form.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var cookies = Cookies(form);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", cookies);
        using var signedIn = await _pages.SendAsync(request);
        var session = Cookies(signedIn);
        if (session.Length == 0) throw new HttpRequestException($"sign-in: {(int)signedIn.StatusCode}");
        return session;
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", (response.Headers.TryGetValues("Set-Cookie", out var set) ? set : []).Select(c => c.Split(';')[0]));

    /// <summary>Reads a page to its last byte with a signed-in session; the page's size in bytes.</summary>
    public async Task<long> GetPage(string path, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", session);
        using var response = await _pages.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode}");
        var counter = new CountingStream();
        await response.Content.CopyToAsync(counter);
        return counter.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    public async Task Get(string path, bool asAnalyst = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", asAnalyst ? _analystKey : _caseworkerKey);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode}");
        await response.Content.CopyToAsync(Stream.Null);
    }

    private async Task<JsonElement> SendRaw(string key, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _client.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> Send(string key, HttpMethod method, string path, object? body) =>
        await SendRaw(key, method, path, body is null ? "" : JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

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
        Keep(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {(concurrency == 0 ? "paced" : concurrency.ToString(CultureInfo.InvariantCulture))} | {r.PerSecond:0.0}/s | {r.Percentile(50):0.0} | {r.Percentile(95):0.0} | {r.Percentile(99):0.0} | {(ceiling is { } c ? (r.PerSecond / c).ToString("0.000", CultureInfo.InvariantCulture) : "")} | {r.Failures} |"));

    public void AddFigure(string what, string value) => Keep($"| {what} | | {value} | | | | | |");

    /// <summary>Rows are printed as they are measured, so a later failure loses nothing already measured.</summary>
    private void Keep(string row)
    {
        _rows.Add(row);
        Console.WriteLine(row);
    }

    public string Render() =>
        "| measure | concurrency | rate | p50 ms | p95 ms | p99 ms | ratio to ceiling (pgbench) | failures |\n|---|---|---|---|---|---|---|---|\n" + string.Join('\n', _rows) + "\n";
}
