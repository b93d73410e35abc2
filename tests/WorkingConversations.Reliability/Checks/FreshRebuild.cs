using System.Globalization;
using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Harness;

namespace WorkingConversations.Reliability.Checks;

/// <summary>
/// The projections the service kept while it was killed and restarted must equal what a rebuild from the events makes.
/// The hosts are stopped, every module table is read, and each way an operator can rebuild runs in turn: the service's
/// own <c>rebuild</c> (stream by stream) and JasperFx's <c>projections rebuild</c> (Marten's daemon); the tables are read
/// again after each. A rebuild must not tell partners anything again either.
/// </summary>
public static class FreshRebuild
{
    public static async Task CompareAsync(string scenario, Report report, ServiceUnderTest service, HarnessOptions options)
    {
        await service.Nodes.StopAllAsync();
        var before = await service.Store.SnapshotAsync(Store.ModuleSchemas);
        foreach (var command in new[] { new[] { "rebuild" }, ["projections", "rebuild"] })
        {
            var line = string.Join(' ', command);
            var rebuild = HostProcess.RunCommand(options.HostDll, service.ConnectionString, command, ServiceUnderTest.Settings, TimeSpan.FromMinutes(10));
            var after = await service.Store.SnapshotAsync(Store.ModuleSchemas);
            var differences = Store.Differences(before, after);
            report.Figure(scenario, $"projection rebuild ({line})", $"exit {rebuild.ExitCode} after {rebuild.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            report.Check(scenario, $"the projections equal a fresh rebuild ({line})", rebuild.ExitCode == 0 && differences.Count == 0,
                rebuild.ExitCode != 0
                    ? $"the rebuild failed (exit {rebuild.ExitCode}): {string.Join(" / ", rebuild.Output.SkipWhile(l => !l.Contains("ERROR", StringComparison.Ordinal)).Take(6).DefaultIfEmpty(string.Join(" / ", rebuild.Output.TakeLast(5))))}"
                    : differences.Count == 0 ? $"{before.Sum(t => t.Rows.Count)} rows in {before.Count} tables, all equal" : string.Join("; ", differences.Take(5)));
        }

        // A rebuild replays every status change: it must not queue a callback for any of them.
        var queued = await service.Store.ScalarAsync("select count(*) from wolverine.wolverine_outgoing_envelopes") +
                     await service.Store.ScalarAsync("select count(*) from wolverine.wolverine_incoming_envelopes where status <> 'Handled'");
        var deliveries = service.Receiver.Deliveries.Count;
        await service.Nodes.StartAllAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var again = service.Receiver.Deliveries.Count - deliveries;
        report.Check(scenario, "a rebuild sends no callback again", again == 0,
            $"{again} callbacks delivered after the rebuilds; {queued} messages waiting once they finished");
    }
}
