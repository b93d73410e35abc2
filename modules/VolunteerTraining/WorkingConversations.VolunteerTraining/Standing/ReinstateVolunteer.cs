using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Standing;

public static class ReinstateVolunteer
{
    /// <summary>Only a suspension can be lifted: a lapsed clearance needs a new DBS check and certification instead.</summary>
    public static (VolunteerReinstated? Reinstated, ProblemHttpResult? Problem) Decide(Volunteer volunteer, string reason, DateTimeOffset now) =>
        volunteer.UnderSuspension
            ? (new VolunteerReinstated(volunteer.Id, reason.Trim(), now), null)
            : (null, ReasonRules.IllegalFrom(volunteer, "reinstated"));

    public static Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct) =>
        ReasonRules.Run(id, request, http, session, outbox, clock, Decide,
            // Only a volunteer still holding a clearance goes back to work; one whose clearance lapsed needs certifying again.
            (volunteer, e) => volunteer.Status == VolunteerStatuses.Suspended ? new PractitionerReinstated(id, e.ReinstatedAt) : null,
            volunteer => volunteer.Status == VolunteerStatuses.Suspended ? VolunteerStatuses.Certified : volunteer.Status, ct);
}
