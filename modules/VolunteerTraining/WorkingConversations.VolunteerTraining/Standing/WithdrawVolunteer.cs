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

    public static async Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var v = ReasonRules.Validate(request);
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (withdrawn, problem) = Decide(stream.Aggregate, request.Reason!, clock.GetUtcNow());
        if (withdrawn is null) return problem!;

        stream.AppendOne(withdrawn);
        if (stream.Aggregate.HoldsClearance)
            await outbox.PublishAsync(new PractitionerWithdrawn(id, withdrawn.Reason, withdrawn.WithdrawnAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new StandingResult(id, VolunteerStatuses.Withdrawn, withdrawn.WithdrawnAt));
    }
}
