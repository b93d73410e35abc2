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
        volunteer.Status == VolunteerStatuses.Suspended
            ? (new VolunteerReinstated(volunteer.Id, reason.Trim(), now), null)
            : (null, ReasonRules.IllegalFrom(volunteer, "reinstated"));

    public static async Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var v = ReasonRules.Validate(request);
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (reinstated, problem) = Decide(stream.Aggregate, request.Reason!, clock.GetUtcNow());
        if (reinstated is null) return problem!;

        stream.AppendOne(reinstated);
        await outbox.PublishAsync(new PractitionerReinstated(id, reinstated.ReinstatedAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new StandingResult(id, VolunteerStatuses.Certified, reinstated.ReinstatedAt));
    }
}
