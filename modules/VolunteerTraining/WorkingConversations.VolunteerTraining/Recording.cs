using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.VolunteerTraining;

/// <summary>Rules shared by the endpoints that add training evidence to a volunteer's record.</summary>
public static class Recording
{
    /// <summary>Evidence keeps coming after certification (towards senior practitioner) and during a suspension, but not after withdrawal.</summary>
    public static ProblemHttpResult? Refuse(Volunteer volunteer) =>
        volunteer.Status == VolunteerStatuses.Withdrawn
            ? LegacyProblem.Conflict("The volunteer has withdrawn from the programme; nothing more can be recorded.",
                new Dictionary<string, object?> { ["status"] = volunteer.Status })
            : null;

    public static void NotInFuture(Validation v, string field, DateOnly? date, DateOnly today)
    {
        if (v.Required(field, date) && date > today) v.Add(field, "must not be in the future.");
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
