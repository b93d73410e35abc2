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

    public static async Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var v = ReasonRules.Validate(request);
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (suspended, problem) = Decide(stream.Aggregate, request.Reason!, clock.GetUtcNow());
        if (suspended is null) return problem!;

        stream.AppendOne(suspended);
        await outbox.PublishAsync(new PractitionerSuspended(id, suspended.Reason, suspended.SuspendedAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new StandingResult(id, VolunteerStatuses.Suspended, suspended.SuspendedAt));
    }
}
