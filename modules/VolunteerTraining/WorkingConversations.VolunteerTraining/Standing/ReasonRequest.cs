using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.VolunteerTraining.Standing;

public sealed record ReasonRequest(string? Reason);

public sealed record StandingResult(Guid VolunteerId, string Status, DateTimeOffset At);

public static class ReasonRules
{
    public static Validation Validate(ReasonRequest r)
    {
        var v = new Validation();
        v.RequiredText("reason", r.Reason, 1000);
        return v;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult IllegalFrom(Volunteer volunteer, string action) =>
        Problem.Conflict($"The volunteer is {volunteer.Status} and cannot be {action}.", new Dictionary<string, object?> { ["status"] = volunteer.Status });
}
