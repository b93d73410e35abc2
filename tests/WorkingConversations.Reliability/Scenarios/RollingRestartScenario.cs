using System.Diagnostics;
using System.Globalization;
using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Checks;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Scenarios;

/// <summary>
/// A rolling restart under the mixed load, as an orchestrator rolls out a new version: each node in turn is taken out
/// of the load balancer's rotation, stopped with SIGTERM (its requests in flight finish, its messages and agents are
/// handed back), started again and put back once it is ready. No client may see a failed request, and afterwards
/// everything is stored and done exactly once.
/// </summary>
public static class RollingRestartScenario
{
    public const string Name = "Rolling restart (SIGTERM, node by node)";

    public static async Task RunAsync(ThrowAwayCluster cluster, HarnessOptions options, Report report)
    {
        if (options.Nodes < 2)
        {
            report.Check(Name, "two nodes or more to roll", false, $"{options.Nodes} node: run with --nodes 2");
            return;
        }

        await using var service = await ServiceUnderTest.StartAsync(cluster, options, "rolling");
        var load = new MixedLoad(service.Client, service.Actors, CrashScenario.RunTag(new Random(options.Seed + 3)));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(options.Workers, stop.Token);
        var attemptsBefore = service.Ledger.Operations.Sum(o => o.Attempts);

        var stops = new List<TimeSpan>();
        var starts = new List<TimeSpan>();
        for (var round = 1; round <= options.RollingRestarts; round++)
        {
            foreach (var node in service.Nodes.All)
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                service.Nodes.TakeOut(node);
                // The balancer's requests already on their way to the node still reach it, and are answered.
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                var clock = Stopwatch.StartNew();
                await node.StopAsync();
                stops.Add(clock.Elapsed);
                clock.Restart();
                await node.StartAsync();
                starts.Add(clock.Elapsed);
                service.Nodes.PutBack(node);
                Console.WriteLine($"rolling restart {round}, {node.Name}: stopped in {stops[^1].TotalSeconds:0.0} s, ready {starts[^1].TotalSeconds:0.0} s later");
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await running;
        var settled = await service.Downstream.WaitAsync(await service.Downstream.ExpectedNowAsync(load.Cases), TimeSpan.FromSeconds(60));

        var operations = service.Ledger.Operations;
        var failed = operations.Where(o => o.Unanswered > 0 || o.ServerErrors > 0).ToArray();
        report.Figure(Name, "host processes", $"{options.Nodes}{(options.Broker ? ", messages on RabbitMQ" : "")}");
        report.Figure(Name, "rounds (every node stopped with SIGTERM and started again)", options.RollingRestarts.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "people referred by the load", load.Cases.Count.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "graceful stop (median, max)", $"{Median(stops):0.0} s, {stops.Max().TotalSeconds:0.0} s");
        report.Figure(Name, "start until /health/ready (median, max)", $"{Median(starts):0.0} s, {starts.Max().TotalSeconds:0.0} s");
        report.Figure(Name, "attempts during the run", (operations.Sum(o => o.Attempts) - attemptsBefore).ToString(CultureInfo.InvariantCulture));
        report.Check(Name, "no request failed (none unanswered, none 5xx)", failed.Length == 0 && service.Ledger.Count(s => s >= 500) == 0,
            failed.Length == 0 ? "none" : $"{failed.Length} writes had to be sent again, e.g. {failed[0].Kind} {failed[0].Marker}: " +
                                         $"{failed[0].Unanswered} unanswered, {failed[0].ServerErrors} × 5xx ({string.Join(" | ", service.Ledger.ServerErrorSamples.Take(3))})");
        await ExactlyOnce.CheckAsync(Name, report, service.Store, service.Ledger, load.Cases, service.Receiver);
        var cut = load.Cases.Where(c => c.Stopped is not null).ToArray();
        report.Check(Name, "every person got through the whole journey", cut.Length == 0,
            cut.Length == 0 ? $"{load.Cases.Count} people" : $"{cut.Length} stopped, e.g. {cut[0].Marker}: {cut[0].Stopped}");
        report.Check(Name, "all downstream work was done once the load stopped", settled.Took is not null,
            settled.Took is { } s ? $"within {s.TotalSeconds:0.0} s" : string.Join(", ", settled.Outstanding));
        await CrashScenario.CheckLogAsync(Name, report, service);
    }

    private static double Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
