using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.VolunteerTraining.Standing;

public sealed record ReasonRequest(string? Reason);

public sealed record StandingResult(Guid VolunteerId, string Status, DateTimeOffset At);

public static class ReasonRules
{
    public static Validation Validate(ReasonRequest r)
    {
        var v = new Validation();
        v.RequiredText("reason", r.Reason, 1000);
        return v;
    }

    public static ProblemHttpResult IllegalFrom(Volunteer volunteer, string action) =>
        LegacyProblem.Conflict($"The volunteer is {volunteer.Status} and cannot be {action}.", new Dictionary<string, object?> { ["status"] = volunteer.Status });

    /// <summary>
    /// The write every standing change shares: validate the reason, decide on the volunteer's stream, append the event and
    /// tell Conversations (when there is something to tell) through the outbox in the same transaction.
    /// </summary>
    public static async Task<Results<Ok<StandingResult>, ProblemHttpResult, ValidationProblem>> Run<TEvent>(
        Guid id, ReasonRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock,
        Func<Volunteer, string, DateTimeOffset, (TEvent? Event, ProblemHttpResult? Problem)> decide,
        Func<Volunteer, TEvent, object?> messageFor, Func<Volunteer, string> statusAfter, CancellationToken ct)
        where TEvent : class
    {
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var now = clock.GetUtcNow();
        var (change, problem) = decide(stream.Aggregate, request.Reason!, now);
        if (change is null) return problem!;

        stream.AppendOne(change);
        if (messageFor(stream.Aggregate, change) is { } message) await outbox.PublishAsync(message);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new StandingResult(id, statusAfter(stream.Aggregate), now));
    }
}
