using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Standing;

public static class WithdrawVolunteer
{
    /// <summary>Leaving the programme is final; a cleared practitioner's clearance goes with it.</summary>
    public static (VolunteerWithdrawn? Withdrawn, ProblemHttpResult? Problem) Decide(Volunteer volunteer, string reason, DateTimeOffset now) =>
        volunteer.Status == VolunteerStatuses.Withdrawn
            ? (null, ReasonRules.IllegalFrom(volunteer, "withdrawn"))
            : (new VolunteerWithdrawn(volunteer.Id, reason.Trim(), now), null);

    public static Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct) =>
        ReasonRules.Run(id, request, http, session, outbox, clock, Decide,
            // Only someone who holds a clearance has one for Conversations to withdraw.
            (volunteer, e) => volunteer.HoldsClearance ? new PractitionerWithdrawn(id, e.Reason, e.WithdrawnAt) : null,
            _ => VolunteerStatuses.Withdrawn, ct);
}
