using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Runtime;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

public sealed record ProjectionList(IReadOnlyList<ProjectionState> Projections);

public sealed record ProjectionAction(string Projection, string Action, string Detail);

/// <summary>The asynchronous projections for operators: their state, and pause, resume, restart and rebuild.</summary>
public static class ProjectionEndpoints
{
    public static async Task<Ok<ProjectionList>> List(ProjectionStates states, CancellationToken ct) =>
        TypedResults.Ok(new ProjectionList(await states.ReadAsync(ct)));

    public static Task<Results<Accepted<ProjectionAction>, ProblemHttpResult>> Pause(string name, ProjectionStates states, IWolverineRuntime runtime,
        CancellationToken ct) =>
        Act(name, states, "pause", "Paused on every node until it is resumed; its figures stay as they are meanwhile.",
            agent => ProjectionControl.PauseAsync(runtime, agent, ct), ct);

    public static Task<Results<Accepted<ProjectionAction>, ProblemHttpResult>> Resume(string name, ProjectionStates states, IWolverineRuntime runtime,
        CancellationToken ct) =>
        Act(name, states, "resume", "Let go again: a node takes it up within a few seconds and it catches up from where it stopped.",
            agent => ProjectionControl.ResumeAsync(runtime, agent, ct), ct);

    public static Task<Results<Accepted<ProjectionAction>, ProblemHttpResult>> Restart(string name, ProjectionStates states, IWolverineRuntime runtime,
        CancellationToken ct) =>
        Act(name, states, "restart", "Stopped wherever it ran and started again from its stored position.",
            agent => ProjectionControl.RestartAsync(runtime, agent, ct), ct);

    public static async Task<Results<Accepted<ProjectionAction>, ProblemHttpResult>> Rebuild(string name, ProjectionStates states, ProjectionRebuilder rebuilder,
        CancellationToken ct)
    {
        if (states.Find(name) is not { } shard) return Unknown(name, states);
        if (states.Family is not { } family) return Refusal.Conflict("This node does not run projection agents, so it cannot rebuild one.").AsProblem();
        var agent = await states.AgentUriAsync(shard, ct);
        if (!rebuilder.TryStart(shard, agent, family)) return Refusal.Conflict($"The projection {shard.Name} is being rebuilt already.").AsProblem();
        return TypedResults.Accepted("/api/v1/admin/projections", new ProjectionAction(shard.Name, "rebuild",
            "Rebuilding from the first event; GET /api/v1/admin/projections shows how far it has got. The other projections carry on."));
    }

    private static async Task<Results<Accepted<ProjectionAction>, ProblemHttpResult>> Act(string name, ProjectionStates states, string action, string detail,
        Func<Uri, Task> apply, CancellationToken ct)
    {
        if (states.Find(name) is not { } shard) return Unknown(name, states);
        if (await states.AgentUriAsync(shard, ct) is not { } agent) return Refusal.Conflict("This node does not run projection agents.").AsProblem();
        await apply(agent);
        return TypedResults.Accepted("/api/v1/admin/projections", new ProjectionAction(shard.Name, action, detail));
    }

    private static ProblemHttpResult Unknown(string name, ProjectionStates states) =>
        Problem.NotFound($"There is no asynchronous projection named '{name}'. Known: {string.Join(", ", states.Shards().Select(s => s.Name))}.");
}
