using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.VolunteerTraining.Standing;

internal sealed record ReasonRequest(string? Reason);

internal sealed record StandingResult(Guid VolunteerId, string Status, DateTimeOffset At);

internal static class ReasonRules
{
    public static Validation Validate(ReasonRequest r)
    {
        var v = new Validation();
        v.RequiredText("reason", r.Reason, 1000);
        return v;
    }

    public static Refusal IllegalFrom(Volunteer volunteer, string action) =>
        Refusal.Conflict($"The volunteer is {volunteer.Status} and cannot be {action}.").With("volunteerStatus", volunteer.Status);

    /// <summary>The write every standing change shares: a reason, and the change decided on the volunteer's stream.</summary>
    public static Task<IResult> Run(Guid id, ReasonRequest request, HttpContext http, WriteStep write,
        Func<Volunteer, string, DateTimeOffset, Decision<StandingResult>> decide) =>
        write.RunAsync(http, Validate(request), attempt => attempt.OnVolunteer(id, volunteer => decide(volunteer, request.Reason!.Trim(), attempt.Now)),
            Answer.Ok);
}
