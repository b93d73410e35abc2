using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Standing;

public static class SuspendVolunteer
{
    public static (VolunteerSuspended? Suspended, ProblemHttpResult? Problem) Decide(Volunteer volunteer, string reason, DateTimeOffset now) =>
        volunteer.Status == VolunteerStatuses.Certified
            ? (new VolunteerSuspended(volunteer.Id, reason.Trim(), now), null)
            : (null, ReasonRules.IllegalFrom(volunteer, "suspended"));

    public static Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct) =>
        ReasonRules.Run(id, request, http, session, outbox, clock, Decide,
            (_, e) => new PractitionerSuspended(id, e.Reason, e.SuspendedAt), _ => VolunteerStatuses.Suspended, ct);
}
