using System.Diagnostics;
using System.Globalization;
using JasperFx.CommandLine;
using JasperFx.Events.Projections;
using Marten;
using WorkingConversations.BuildingBlocks.Operations.Projections;

namespace WorkingConversations.Host.Operations;

public sealed class RebuildInput : NetCoreInput
{
    [Description("Only this projection (EpisodeOutcome, ReferralView, ...); every projection when not given")]
    [FlagAlias("projection")]
    public string? ProjectionFlag { get; set; }
}

/// <summary>
/// Rebuilds projections from the events, printing each one's progress every second: events done, the rate and the time
/// left. It runs its own daemon, so it is for a maintenance window with every host stopped; while the service runs,
/// rebuild one asynchronous projection with <c>POST /api/v1/admin/projections/{name}/rebuild</c> instead
/// (docs/operations.md).
/// </summary>
[Description("Rebuild projections, printing progress: rebuild --projection EpisodeOutcome, or every projection without it (with the hosts stopped)", Name = "rebuild")]
public sealed class RebuildCommand : JasperFxAsyncCommand<RebuildInput>
{
    public override async Task<bool> Execute(RebuildInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        // Live aggregations (a journey folded when it is read) keep nothing to rebuild.
        var all = ((StoreOptions)store.Options).Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).Select(p => p.Name).ToArray();
        var chosen = input.ProjectionFlag is { } only ? all.Where(n => string.Equals(n, only, StringComparison.OrdinalIgnoreCase)).ToArray() : all;
        if (chosen.Length == 0)
        {
            await Console.Error.WriteLineAsync($"There is no projection named '{input.ProjectionFlag}'. Known: {string.Join(", ", all)}.");
            return false;
        }

        using var daemon = await store.BuildProjectionDaemonAsync();
        var steps = host.Services.GetServices<IProjectionRebuildStep>().ToArray();
        var total = Stopwatch.StartNew();
        foreach (var name in chosen)
        {
            Console.WriteLine($"Rebuilding {name}");
            var one = Stopwatch.StartNew();
            await ProjectionRebuilder.RebuildAsync(store, steps, new ShardName(name), progress => Console.WriteLine("  " + progress), DateTimeOffset.UtcNow,
                ct => daemon.RebuildProjectionAsync(name, ct), whileServing: false, CancellationToken.None);
            Console.WriteLine($"Rebuilt {name} in {one.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        }

        Console.WriteLine($"Rebuilt {chosen.Length} projection(s) in {total.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        return true;
    }
}
