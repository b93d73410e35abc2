using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Capacity;

public sealed record CapacityRequest(int? Capacity, string? Reason);

public sealed record CapacityResult(Guid VolunteerId, int Capacity, DateTimeOffset ChangedAt);

public static class ChangeCapacity
{
    /// <summary>No one holds twenty conversations' worth of participants safely; more is a typing slip.</summary>
    public const int MaxCapacity = 20;

    public static Validation Validate(CapacityRequest r)
    {
        var v = new Validation();
        v.InRange("capacity", r.Capacity, 1, MaxCapacity);
        v.RequiredText("reason", r.Reason, 1000);
        return v;
    }

    /// <summary>
    /// Only a practitioner holding a clearance has a capacity to change. Conversations keeps assignments already made
    /// when capacity goes down; it only stops new ones beyond it.
    /// </summary>
    public static (CapacityChanged? Changed, ProblemHttpResult? Problem) Decide(Volunteer volunteer, CapacityRequest r, DateTimeOffset now)
    {
        if (!volunteer.HoldsClearance)
            return (null, LegacyProblem.Conflict($"The volunteer is {volunteer.Status}; only a certified practitioner has a capacity to change.",
                new Dictionary<string, object?> { ["status"] = volunteer.Status }));
        if (volunteer.Capacity == r.Capacity)
            return (null, LegacyProblem.Conflict($"The capacity is already {volunteer.Capacity}.", new Dictionary<string, object?> { ["capacity"] = volunteer.Capacity }));
        return (new CapacityChanged(volunteer.Id, r.Capacity!.Value, r.Reason!.Trim(), now), null);
    }

    public static async Task<Results<Ok<CapacityResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, CapacityRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (changed, problem) = Decide(stream.Aggregate, request, clock.GetUtcNow());
        if (changed is null) return problem!;

        stream.AppendOne(changed);
        await outbox.PublishAsync(new PractitionerCapacityChanged(id, changed.Capacity, changed.ChangedAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new CapacityResult(id, changed.Capacity, changed.ChangedAt));
    }
}
