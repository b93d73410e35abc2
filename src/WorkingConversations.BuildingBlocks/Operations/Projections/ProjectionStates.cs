using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>Why a projection failed, as the daemon classified it.</summary>
public sealed record ProjectionFailure(string Category, string Message, long? AtSequence, DateTimeOffset At);

/// <summary>
/// One asynchronous projection as the cluster sees it: how far behind the newest event it is (in events and in the age
/// of the oldest event it has not folded yet), and its agent's state.
/// </summary>
public sealed record ProjectionState(
    string Name,
    string Shard,
    string State,
    long Position,
    long NewestEvent,
    long BehindEvents,
    double BehindSeconds,
    int? NodeNumber,
    bool OnThisNode,
    ProjectionFailure? Failure,
    RebuildProgress? Rebuild)
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
    public const string Unassigned = "unassigned";
    public const string Rebuilding = "rebuilding";
}

/// <summary>
/// Reads the state of every asynchronous projection from the event store (positions, newest event), from Wolverine's
/// node records (which node holds each projection's agent, which are paused) and from this node's own agents (status
/// and failure of the ones it runs).
/// </summary>
public sealed class ProjectionStates(IDocumentStore store, IWolverineRuntime runtime, IEnumerable<IAgentFamily> families, ProjectionRebuilder rebuilds)
{
    private readonly EventSubscriptionAgentFamily? _family = families.OfType<EventSubscriptionAgentFamily>().FirstOrDefault();

    public IReadOnlyList<ShardName> Shards() => store.Advanced.AllAsyncProjectionShardNames();

    public ShardName? Find(string name) =>
        Shards().FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase) ||
                                     string.Equals(s.Identity, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The Wolverine agent that runs the projection (<c>event-subscriptions://...</c>); null outside Wolverine-managed distribution.</summary>
    public async ValueTask<Uri?> AgentUriAsync(ShardName shard, CancellationToken ct) =>
        _family is null ? null : await _family.FindAgentUriAsync(shard.Identity, null, ct);

    public EventSubscriptionAgentFamily? Family => _family;

    public async Task<IReadOnlyList<ProjectionState>> ReadAsync(CancellationToken ct)
    {
        var shards = Shards();
        if (shards.Count == 0) return [];

        var progress = (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(p => p.ShardName, p => p.Sequence);
        var events = store.Options.Events.DatabaseSchemaName;
        await using var session = store.QuerySession();
        var newest = (await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {events}.mt_events", ct)).FirstOrDefault();

        NodeAgentState? cluster = null;
        try
        {
            cluster = await runtime.Storage.Nodes.LoadNodeAgentStateAsync(ct);
        }
        catch (NotSupportedException)
        {
            // A message store without node records (none in this service today): the local view has to do.
        }

        var paused = cluster?.Restrictions.FindPausedAgentUris().ToHashSet() ?? [];
        var states = new List<ProjectionState>();
        foreach (var shard in shards)
        {
            var position = progress.GetValueOrDefault(shard.Identity);
            var behind = Math.Max(0, newest - position);
            var age = 0.0;
            if (behind > 0)
            {
                var oldest = (await session.QueryAsync<DateTimeOffset>(
                    $"select timestamp from {events}.mt_events where seq_id > ? order by seq_id limit 1", ct, position)).FirstOrDefault();
                if (oldest != default) age = Math.Max(0, (DateTimeOffset.UtcNow - oldest).TotalSeconds);
            }

            var uri = await AgentUriAsync(shard, ct);
            var holder = uri is null ? null : cluster?.Nodes.FirstOrDefault(n => n.ActiveAgents.Contains(uri));
            IEventSubscriptionAgent? local = null;
            if (uri is not null && runtime.Agents.TryFindActiveAgent<IEventSubscriptionAgent>(uri, out var found)) local = found;
            var onThisNode = local is not null;
            var failure = local?.Failure is { } f
                ? new ProjectionFailure(f.Category.ToString(), $"{f.RootExceptionType}: {f.Message}", f.Event?.Sequence, f.OccurredAt)
                : null;
            var rebuild = rebuilds.Progress(shard.Name);

            var state = rebuild is { Finished: false } ? ProjectionState.Rebuilding
                : uri is not null && paused.Contains(uri) ? ProjectionState.Paused
                : local is { Status: not AgentStatus.Running } && failure is not null ? ProjectionState.Stopped
                : onThisNode || holder is not null ? ProjectionState.Running
                : ProjectionState.Unassigned;
            states.Add(new ProjectionState(shard.Name, shard.Identity, state, position, newest, behind, Math.Round(age, 1),
                holder?.AssignedNodeNumber ?? (onThisNode ? runtime.DurabilitySettings.AssignedNodeNumber : null), onThisNode, failure, rebuild));
        }

        return states;
    }
}
