using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Standing;

internal static class ReinstateVolunteer
{
    /// <summary>
    /// Pure: only a suspension can be lifted: a lapsed clearance needs a new DBS check and certification instead. Only a
    /// volunteer still holding a clearance goes back to work; one whose clearance lapsed meanwhile needs certifying again.
    /// </summary>
    public static Decision<StandingResult> Decide(Volunteer volunteer, string reason, DateTimeOffset now)
    {
        if (!volunteer.UnderSuspension) return ReasonRules.IllegalFrom(volunteer, "reinstated");
        var backToWork = volunteer.Status == VolunteerStatuses.Suspended;
        var reinstated = Decision.Of(new StandingResult(volunteer.Id, backToWork ? VolunteerStatuses.Certified : volunteer.Status, now))
            .Append(new VolunteerReinstated(volunteer.Id, reason, now));
        return backToWork ? reinstated.Publish(new PractitionerReinstated(volunteer.Id, now)) : reinstated;
    }

    public static Task<IResult> Handle(Guid id, JsonBody<ReasonRequest> body, HttpContext http, WriteStep write) =>
        ReasonRules.Run(id, body.Read, http, write, Decide);
}
