using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>
/// <c>/health/ready</c>'s view of the asynchronous projections: unhealthy when one has stopped on a failure or is older
/// than the unhealthy threshold, degraded when one is past the degraded threshold, paused, being rebuilt or held by no
/// node, and otherwise healthy. Each projection's state and lag are in the check's data.
/// </summary>
public sealed class ProjectionHealthCheck(ProjectionStates states, ProjectionLagSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return Judge(await states.ReadAsync(cancellationToken), settings);
        }
        catch (Exception e) when (DatabaseUnavailable.Is(e) || e is TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The projections' state cannot be read: the database does not answer.");
        }
    }

    /// <summary>Pure: the health of the projections from their states.</summary>
    public static HealthCheckResult Judge(IReadOnlyList<ProjectionState> projections, ProjectionLagSettings settings)
    {
        var data = projections.ToDictionary(p => p.Name, p => (object)Describe(p));
        var stopped = projections.Where(p => p.State == ProjectionState.Stopped).ToArray();
        if (stopped.Length > 0)
        {
            return HealthCheckResult.Unhealthy(string.Join(" ", stopped.Select(p =>
                $"The projection {p.Name} has stopped on a {p.Failure?.Category} failure ({p.Failure?.Message}) and will not restart by itself. " +
                $"Bring it back with POST /api/v1/admin/projections/{p.Name}/rebuild (docs/operations.md, Projections).")), data: data);
        }

        var late = projections.Where(p => p.BehindSeconds > settings.UnhealthyAfter.TotalSeconds).ToArray();
        if (late.Length > 0)
        {
            return HealthCheckResult.Unhealthy(string.Join(" ", late.Select(p =>
                $"The projection {p.Name} is {p.BehindSeconds:0} s ({p.BehindEvents} events) behind, past {settings.UnhealthyAfter.TotalSeconds:0} s.")), data: data);
        }

        var degraded = projections.Where(p => p.BehindSeconds > settings.DegradedAfter.TotalSeconds || p.State is ProjectionState.Paused
            or ProjectionState.Rebuilding || p.State == ProjectionState.Unassigned && p.BehindEvents > 0).ToArray();
        if (degraded.Length > 0)
        {
            return HealthCheckResult.Degraded(string.Join(" ", degraded.Select(p =>
                $"The projection {p.Name} is {p.State}, {p.BehindSeconds:0} s ({p.BehindEvents} events) behind.")), data: data);
        }

        return HealthCheckResult.Healthy(projections.Count == 0 ? "No asynchronous projections." : "Every projection is running and up to date.", data);
    }

    private static string Describe(ProjectionState p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.State}, {p.BehindEvents} events and {p.BehindSeconds:0.#} s behind") +
        (p.NodeNumber is { } n ? $", on node {n}" : "") + (p.Failure is { } f ? $", {f.Category}: {f.Message}" : "") +
        (p.Rebuild is { Finished: false } r ? $", rebuild {r}" : "");
}
