using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>
/// Pausing, resuming and restarting a projection's agent across the cluster, through Wolverine's agent restrictions:
/// a pause is stored in the database, so the leader starts the agent on no node until it is resumed, whichever node
/// was asked and whichever node ran it.
/// </summary>
public static class ProjectionControl
{
    public static Task PauseAsync(IWolverineRuntime runtime, Uri agent, CancellationToken ct)
    {
        var restrictions = new AgentRestrictions();
        restrictions.PauseAgent(agent);
        return runtime.Agents.ApplyRestrictionsAsync(restrictions, ct);
    }

    public static async Task ResumeAsync(IWolverineRuntime runtime, Uri agent, CancellationToken ct)
    {
        var current = (await runtime.Storage.Nodes.LoadNodeAgentStateAsync(ct)).Restrictions;
        current.RestartAgent(agent);
        await runtime.Agents.ApplyRestrictionsAsync(current, ct);
    }

    /// <summary>
    /// Stops the agent wherever it runs (or sits stopped on a failure) and starts it again from its stored position: the
    /// way back from a failure that a restart clears. A projection whose stored position is wrong needs a rebuild instead.
    /// </summary>
    public static async Task RestartAsync(IWolverineRuntime runtime, Uri agent, CancellationToken ct)
    {
        await PauseAsync(runtime, agent, ct);
        await ResumeAsync(runtime, agent, ct);
    }
}
