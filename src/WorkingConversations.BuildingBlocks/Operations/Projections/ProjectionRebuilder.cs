using System.Collections.Concurrent;
using System.Diagnostics;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>How far a rebuild has got: events folded so far, the rate, and the time left at that rate.</summary>
public sealed record RebuildProgress(
    string Projection, DateTimeOffset StartedAt, long EventsDone, long EventsInAll, double EventsPerSecond, double? SecondsLeft, bool Finished,
    string? Error)
{
    /// <summary>Pure: the progress from two readings of the rebuilt projection's position, <paramref name="elapsed"/> apart from the start.</summary>
    public static RebuildProgress Measure(string projection, DateTimeOffset startedAt, long position, long target, TimeSpan elapsed, bool finished,
        string? error = null)
    {
        var done = Math.Clamp(position, 0, Math.Max(target, 0));
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        double? left = finished ? 0 : rate > 0 ? Math.Round((target - done) / rate, 1) : null;
        return new RebuildProgress(projection, startedAt, done, target, Math.Round(rate, 1), left, finished, error);
    }

    public override string ToString() =>
        $"{Projection}: {EventsDone:N0} of {EventsInAll:N0} events ({(EventsInAll == 0 ? 100 : 100.0 * EventsDone / EventsInAll):0}%), " +
        $"{EventsPerSecond:N0} events/s, " + (Finished ? "done" : SecondsLeft is { } s ? $"{s:0} s left" : "time left not known yet");
}

/// <summary>
/// Rebuilds one asynchronous projection while the service runs, without stopping the others or the reads of them: the
/// projection's agent is paused across the cluster (a Wolverine agent restriction, so no node starts it meanwhile), the
/// projection is rebuilt from the first event on this node, and the agent is let go again to carry on from there.
/// Progress is kept for <c>GET /api/v1/admin/projections</c>. Reads of the projection being rebuilt see it partly
/// filled until it is done.
/// </summary>
public sealed class ProjectionRebuilder(IDocumentStore store, IWolverineRuntime runtime, IHostApplicationLifetime lifetime,
    IEnumerable<IProjectionRebuildStep> steps, ILogger<ProjectionRebuilder> logger)
{
    private readonly ConcurrentDictionary<string, RebuildProgress> _progress = new(StringComparer.OrdinalIgnoreCase);

    public RebuildProgress? Progress(string projection) => _progress.GetValueOrDefault(projection);

    /// <summary>Starts the rebuild in the background; false when one of this projection is already running here.</summary>
    public bool TryStart(ShardName shard, Uri? agent, EventSubscriptionAgentFamily family)
    {
        var started = DateTimeOffset.UtcNow;
        var first = new RebuildProgress(shard.Name, started, 0, 0, 0, null, false, null);
        if (_progress.TryGetValue(shard.Name, out var current) && !current.Finished) return false;
        _progress[shard.Name] = first;
        _ = Task.Run(() => RunAsync(shard, agent, family, started, lifetime.ApplicationStopping));
        return true;
    }

    private async Task RunAsync(ShardName shard, Uri? agent, EventSubscriptionAgentFamily family, DateTimeOffset started, CancellationToken ct)
    {
        try
        {
            if (agent is not null) await ProjectionControl.PauseAsync(runtime, agent, ct);
            await RebuildAsync(store, steps, shard, p => _progress[shard.Name] = p, started,
                async token =>
                {
                    if (!await family.TryRebuildRegisteredProjectionAsync(shard.Identity, null, token))
                        throw new InvalidOperationException($"No registered projection has the shard {shard.Identity}.");
                }, whileServing: true, ct);
            logger.LogInformation("Projection {Projection} rebuilt", shard.Name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "The rebuild of projection {Projection} failed; it stays paused until it is rebuilt again or resumed", shard.Name);
            _progress[shard.Name] = (_progress.GetValueOrDefault(shard.Name) ?? new RebuildProgress(shard.Name, started, 0, 0, 0, null, false, null)) with
            {
                Finished = true, Error = e.Message,
            };
            return;
        }

        if (agent is not null) await ProjectionControl.ResumeAsync(runtime, agent, CancellationToken.None);
    }

    /// <summary>
    /// Rebuilds the projection inside its own <see cref="IProjectionRebuildStep"/>s, reporting its progress every second:
    /// stream by stream when it folds within one stream (<see cref="StreamByStreamRebuild"/>), else by running
    /// <paramref name="rebuild"/> (Marten's daemon) and reading the projection's own position in the event store. Used by
    /// the admin route and by the <c>rebuild</c> command, which prints it. <paramref name="whileServing"/>: readers keep the
    /// old documents until the rebuild is whole (the route); the command runs with the hosts stopped.
    /// </summary>
    public static async Task RebuildAsync(IDocumentStore store, IEnumerable<IProjectionRebuildStep> steps, ShardName shard,
        Action<RebuildProgress> report, DateTimeOffset started, Func<CancellationToken, Task> rebuild, bool whileServing, CancellationToken ct)
    {
        var source = StreamByStreamRebuild.SourceFor(store, shard.Name);
        long target = 0;
        if (source is null)
        {
            await using var session = store.QuerySession();
            target = (await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {store.Options.Events.DatabaseSchemaName}.mt_events", ct)).FirstOrDefault();
        }

        var clock = Stopwatch.StartNew();
        var begun = new List<IAsyncDisposable>();
        try
        {
            foreach (var step in steps.Where(s => string.Equals(s.Projection, shard.Name, StringComparison.OrdinalIgnoreCase)))
                begun.Add(await step.BeginAsync(ct));
            if (source is not null)
            {
                var lastReport = TimeSpan.Zero;
                await StreamByStreamRebuild.RunAsync(store, source, (done, all) =>
                {
                    target = all;
                    if (clock.Elapsed - lastReport < TimeSpan.FromSeconds(1) && done > 0) return;
                    lastReport = clock.Elapsed;
                    report(RebuildProgress.Measure(shard.Name, started, done, all, clock.Elapsed, finished: false));
                }, whileServing, ct);
            }
            else
            {
                await RunAsync(store, shard, report, started, target, clock, rebuild, ct);
            }
        }
        finally
        {
            // The steps end in reverse order, even when the rebuild failed: what they hold back must not stay held.
            for (var i = begun.Count - 1; i >= 0; i--) await begun[i].DisposeAsync();
        }

        report(RebuildProgress.Measure(shard.Name, started, target, target, clock.Elapsed, finished: true));
    }

    private static async Task RunAsync(IDocumentStore store, ShardName shard, Action<RebuildProgress> report, DateTimeOffset started, long target,
        Stopwatch clock, Func<CancellationToken, Task> rebuild, CancellationToken ct)
    {
        var running = rebuild(ct);
        while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1), ct)) != running)
        {
            var position = await store.Advanced.ProjectionProgressFor(shard, token: ct);
            report(RebuildProgress.Measure(shard.Name, started, position, target, clock.Elapsed, finished: false));
        }

        await running;
    }
}
