using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Standing;

internal static class WithdrawVolunteer
{
    /// <summary>
    /// Pure: leaving the programme is final; a cleared practitioner's clearance goes with it (only someone who holds a
    /// clearance has one for Conversations to withdraw).
    /// </summary>
    public static Decision<StandingResult> Decide(Volunteer volunteer, string reason, DateTimeOffset now)
    {
        if (volunteer.Status == VolunteerStatuses.Withdrawn) return ReasonRules.IllegalFrom(volunteer, "withdrawn");
        var withdrawn = Decision.Of(new StandingResult(volunteer.Id, VolunteerStatuses.Withdrawn, now)).Append(new VolunteerWithdrawn(volunteer.Id, reason, now));
        return volunteer.HoldsClearance ? withdrawn.Publish(new PractitionerWithdrawn(volunteer.Id, reason, now)) : withdrawn;
    }

    public static Task<IResult> Handle(Guid id, JsonBody<ReasonRequest> body, HttpContext http, WriteStep write) =>
        ReasonRules.Run(id, body.Read, http, write, Decide);
}
