using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Standing;

internal static class SuspendVolunteer
{
    /// <summary>Pure: only a certified practitioner can be suspended; Conversations stops assigning them.</summary>
    public static Decision<StandingResult> Decide(Volunteer volunteer, string reason, DateTimeOffset now) =>
        volunteer.Status == VolunteerStatuses.Certified
            ? Decision.Of(new StandingResult(volunteer.Id, VolunteerStatuses.Suspended, now))
                .Append(new VolunteerSuspended(volunteer.Id, reason, now))
                .Publish(new PractitionerSuspended(volunteer.Id, reason, now))
            : ReasonRules.IllegalFrom(volunteer, "suspended");

    public static Task<IResult> Handle(Guid id, JsonBody<ReasonRequest> body, HttpContext http, WriteStep write) =>
        ReasonRules.Run(id, body.Read, http, write, Decide);
}
