namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>
/// Work a module does around a rebuild of one of its projections, by the admin route or the <c>rebuild</c> command: for
/// example tables folded from the projection's rows by triggers, which cost less recounted once at the end than folded
/// row by row while every row is written again (docs/performance.md, "Rebuilds, round 3").
/// </summary>
public interface IProjectionRebuildStep
{
    /// <summary>The projection (shard name) this step belongs to.</summary>
    string Projection { get; }

    /// <summary>
    /// Called before the rebuild starts. The rebuild disposes what it returns once it has ended, whether it succeeded or
    /// failed.
    /// </summary>
    Task<IAsyncDisposable> BeginAsync(CancellationToken ct);
}
