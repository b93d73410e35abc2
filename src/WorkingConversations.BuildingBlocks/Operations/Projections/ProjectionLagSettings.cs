using Microsoft.Extensions.Configuration;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>
/// When <c>/health/ready</c> calls a projection degraded or unhealthy: by the age of the oldest event it has not folded
/// yet (<c>Operations:Projections:DegradedAfterSeconds</c>, 30; <c>UnhealthyAfterSeconds</c>, 300), and how often the
/// monitor looks (<c>SampleSeconds</c>, 5).
/// </summary>
public sealed record ProjectionLagSettings(TimeSpan DegradedAfter, TimeSpan UnhealthyAfter, TimeSpan SampleEvery)
{
    public static ProjectionLagSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Operations:Projections");
        var settings = new ProjectionLagSettings(
            TimeSpan.FromSeconds(section.GetValue("DegradedAfterSeconds", 30.0)),
            TimeSpan.FromSeconds(section.GetValue("UnhealthyAfterSeconds", 300.0)),
            TimeSpan.FromSeconds(section.GetValue("SampleSeconds", 5.0)));
        if (settings.DegradedAfter <= TimeSpan.Zero || settings.UnhealthyAfter < settings.DegradedAfter)
            throw new InvalidOperationException(
                "Operations:Projections:DegradedAfterSeconds must be more than 0, and UnhealthyAfterSeconds at least as much.");
        if (settings.SampleEvery <= TimeSpan.Zero) throw new InvalidOperationException("Operations:Projections:SampleSeconds must be more than 0.");
        return settings;
    }
}
