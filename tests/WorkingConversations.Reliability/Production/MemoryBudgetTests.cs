using System.Globalization;
using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Production;

/// <summary>
/// The host's memory budget (docs/operations.md, Memory) for everything but the FHIR validator: a Production node told to
/// leave the validator to the first FHIR request, which has done a person's whole way through the service and no FHIR
/// request, peaks within 300 MiB resident, once the work its start-up set going has finished. (A node that loads the
/// validator, the default, holds 60 to 120 MiB more: still over the budget under load, as docs/performance.md says.)
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class MemoryBudgetTests(ProductionCluster production)
{
    private const double BudgetMegabytes = 300;

    [Fact]
    public async Task A_node_that_leaves_the_FHIR_validator_unloaded_and_serves_no_FHIR_request_peaks_within_its_memory_budget()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("memory"), "memory",
            new Dictionary<string, string> { ["Referrals__Fhir__WarmUpAtStart"] = "false" });
        var load = new MixedLoad(service.Client, service.Actors, "memoryx");
        for (var i = 0; i < 3; i++) Assert.Null((await load.RunCaseAsync()).Stopped);

        // Background work started with the host (a warm-up, the daemon catching up) counts against the peak: wait until
        // each node has all but stopped using CPU, so that whatever it was going to load is loaded.
        foreach (var node in service.Nodes.All) await UntilQuiet(node, TimeSpan.FromSeconds(120));

        foreach (var node in service.Nodes.All)
        {
            var peak = node.PeakMemoryMegabytes();
            Assert.True(peak <= BudgetMegabytes, $"{node.Name} peaked at {peak:0} MiB resident (VmHWM), over its budget of {BudgetMegabytes:0} MiB.");
        }
    }

    /// <summary>Polls the process's CPU time (/proc/pid/stat) until three 2-second windows in a row used under a tenth of a core.</summary>
    private static async Task UntilQuiet(HostProcess node, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var quietWindows = 0;
        var last = CpuTicks(node);
        while (quietWindows < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var now = CpuTicks(node);
            // 100 ticks a second (USER_HZ): under 20 ticks in 2 s is under a tenth of one core.
            quietWindows = now - last < 20 ? quietWindows + 1 : 0;
            last = now;
        }
    }

    private static long CpuTicks(HostProcess node)
    {
        var stat = File.ReadAllText($"/proc/{node.ProcessId}/stat");
        // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
