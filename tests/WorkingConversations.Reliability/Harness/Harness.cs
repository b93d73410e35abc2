using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Scenarios;

namespace WorkingConversations.Reliability.Harness;

/// <summary>Runs the scenarios one after the other on a throw-away PostgreSQL cluster of the harness's own.</summary>
public static class ReliabilityHarness
{
    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var report = new Report();
        Console.WriteLine($"Reliability harness, {options.Form} form: {options.Kills} kills, {options.Outages} outages, {options.BadInputs} bad inputs, " +
                          $"{options.RollingRestarts} rolling restarts, {options.Nodes} node(s){(options.Broker ? " on RabbitMQ" : "")}; " +
                          $"host {options.HostDll}; logs in {options.LogDirectory}");
        await using var cluster = await ThrowAwayCluster.StartAsync("reliability");
        if (options.Kills > 0) await CrashScenario.RunAsync(cluster, options, report);
        if (options.RollingRestarts > 0) await RollingRestartScenario.RunAsync(cluster, options, report);
        for (var outage = 0; outage < options.Outages; outage++) await OutageScenario.RunAsync(cluster, options, report);
        if (options.BadInputs > 0) await BadInputScenario.RunAsync(cluster, options, report);
        report.Note($"The hosts' logs of this run are in {options.LogDirectory}.");
        return report;
    }
}
