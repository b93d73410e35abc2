using WorkingConversations.Reliability.Harness;
using Xunit.Abstractions;

namespace WorkingConversations.Reliability;

/// <summary>
/// The short form of the harness (3 kills, one outage, 300 bad inputs) against the host this build made, run as a
/// child process in Production mode. The full form is run.sh, which writes docs/reliability.md.
/// </summary>
[Collection(Production.ProductionCollection.Name)]
public sealed class ShortFormTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_short_form_finds_every_promise_kept()
    {
        var report = await ReliabilityHarness.RunAsync(HarnessOptions.Short(HarnessOptions.BuiltHostDll()));
        output.WriteLine(report.Render("dotnet test tests/WorkingConversations.Reliability", DateTimeOffset.UtcNow, "short"));
        Assert.True(report.Passed, "Broken promises:\n" + string.Join("\n", report.Failures.Select(f => $"{f.Scenario}: {f.Promise}: {f.Found}")));
    }

    /// <summary>Two nodes on one database with their messages on RabbitMQ: one killed twice under load, then both rolled.</summary>
    [Fact]
    public async Task Two_nodes_on_the_broker_lose_nothing_to_a_kill_and_fail_no_request_in_a_rolling_restart()
    {
        var options = HarnessOptions.Short(HarnessOptions.BuiltHostDll()) with
        {
            Nodes = 2, Broker = true, Kills = 2, RollingRestarts = 1, Outages = 0, BadInputs = 0,
        };
        var report = await ReliabilityHarness.RunAsync(options);
        output.WriteLine(report.Render("dotnet test tests/WorkingConversations.Reliability", DateTimeOffset.UtcNow, "short (two nodes)"));
        Assert.True(report.Passed, "Broken promises:\n" + string.Join("\n", report.Failures.Select(f => $"{f.Scenario}: {f.Promise}: {f.Found}")));
    }
}
