using System.Diagnostics;
using System.Globalization;
using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Checks;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Scenarios;

/// <summary>
/// Kill -9 under the mixed load, again and again, restarting the killed node each time, while the clients retry what
/// was not acknowledged. Then: was anything lost or doubled, did every downstream effect happen once, do the
/// projections equal a rebuild, and how long did each restart take to finish the killed process's work.
/// </summary>
public static class CrashScenario
{
    public const string Name = "Crashes (kill -9 under load)";

    public static async Task RunAsync(ThrowAwayCluster cluster, HarnessOptions options, Report report)
    {
        await using var service = await ServiceUnderTest.StartAsync(cluster, options, "crash");
        var random = new Random(options.Seed);
        var load = new MixedLoad(service.Client, service.Actors, RunTag(random));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(options.Workers, stop.Token);

        var recoveries = new List<(TimeSpan FromLaunch, TimeSpan FromReady, int Effects)>();
        var unrecovered = new List<string>();
        var startups = new List<TimeSpan>();
        for (var kill = 1; kill <= options.Kills; kill++)
        {
            // A random moment: long enough for work of every kind to be in flight.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1500, 5000)));
            var node = service.Nodes.Random(random);
            var expected = await service.Downstream.ExpectedNowAsync(load.Cases);
            node.Kill();
            // Down for a moment, as a process supervisor takes to notice: clients meanwhile find nobody.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 1000)));
            var launched = Stopwatch.StartNew();
            // Watched from the restart on, not from readiness: another node may finish the killed one's work first.
            var done = service.Downstream.WaitAsync(expected, TimeSpan.FromSeconds(120));
            // As a load balancer that follows readiness: no request goes to the node until it is ready again.
            service.Nodes.TakeOut(node);
            await node.StartAsync();
            service.Nodes.PutBack(node);
            var ready = launched.Elapsed;
            startups.Add(ready);
            var (took, outstanding) = await done;
            if (took is { } t) recoveries.Add((t, t > ready ? t - ready : TimeSpan.Zero, expected.Count));
            else unrecovered.Add($"kill {kill}: after 120 s still {string.Join(", ", outstanding)}");
            Console.WriteLine($"kill {kill} of {options.Kills} ({node.Name}): ready after {ready.TotalSeconds:0.0} s, " +
                              (took is { } d ? $"downstream work done {d.TotalSeconds:0.0} s after the restart" : "downstream work not done"));
        }

        await stop.CancelAsync();
        await running;
        var settled = await service.Downstream.WaitAsync(await service.Downstream.ExpectedNowAsync(load.Cases), TimeSpan.FromSeconds(120));

        report.Figure(Name, "host processes", options.Nodes.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "kills (SIGKILL), each followed by a restart", options.Kills.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "people referred by the load", load.Cases.Count.ToString(CultureInfo.InvariantCulture));
        if (startups.Count > 0)
            report.Figure(Name, "restart until /health/ready (median, max)", $"{Median(startups):0.0} s, {startups.Max().TotalSeconds:0.0} s");
        if (recoveries.Count > 0)
        {
            report.Figure(Name, "restart until the killed process's downstream work was done (median, max)",
                $"{Median(recoveries.Select(r => r.FromLaunch)):0.0} s, {recoveries.Max(r => r.FromLaunch).TotalSeconds:0.0} s");
            // The part the service's settings govern: the process start itself follows the machine's load.
            report.Figure(Name, "/health/ready until that work was done (median, max)",
                $"{Median(recoveries.Select(r => r.FromReady)):0.0} s, {recoveries.Max(r => r.FromReady).TotalSeconds:0.0} s");
        }

        await ExactlyOnce.CheckAsync(Name, report, service.Store, service.Ledger, load.Cases, service.Receiver);
        var cut = load.Cases.Where(c => c.Stopped is not null).ToArray();
        report.Check(Name, "every person got through the whole journey", cut.Length == 0,
            cut.Length == 0 ? $"{load.Cases.Count} people" : $"{cut.Length} stopped, e.g. {cut[0].Marker}: {cut[0].Stopped}");
        report.Check(Name, "after each restart the killed process's downstream work finished",
            unrecovered.Count == 0, unrecovered.Count == 0 ? $"{recoveries.Count} restarts" : string.Join("; ", unrecovered.Take(3)));
        report.Check(Name, $"each restart finished it within {options.RecoveryTarget.TotalSeconds:0} s",
            unrecovered.Count == 0 && recoveries.All(r => r.FromLaunch <= options.RecoveryTarget),
            recoveries.Count == 0 ? "no restart finished" : $"slowest {recoveries.Max(r => r.FromLaunch).TotalSeconds:0.0} s");
        report.Check(Name, "all downstream work was done once the load stopped", settled.Took is not null,
            settled.Took is { } s ? $"within {s.TotalSeconds:0.0} s" : string.Join(", ", settled.Outstanding));
        await FreshRebuild.CompareAsync(Name, report, service, options);
        await CheckLogAsync(Name, report, service);
    }

    /// <summary>A kill is expected work for the service: no line of its log may carry a stack trace of ours.</summary>
    public static Task CheckLogAsync(string scenario, Report report, ServiceUnderTest service)
    {
        var lines = service.Nodes.LogLines.ToArray();
        var errors = lines.Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))
            .ToArray();
        report.Figure(scenario, "host log lines (all nodes, all starts)", lines.Length.ToString(CultureInfo.InvariantCulture));
        report.Figure(scenario, "error lines in the host log", errors.Length.ToString(CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }

    public static string RunTag(Random random) => new([.. Enumerable.Range(0, 6).Select(_ => (char)('a' + random.Next(26)))]);

    private static double Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
