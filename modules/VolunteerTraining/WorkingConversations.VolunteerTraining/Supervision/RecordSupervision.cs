using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.VolunteerTraining.Supervision;

public sealed record SupervisionRequest(string? Supervisor, DateOnly? On, string? Note);

public sealed record SupervisionTotal(Guid VolunteerId, int Sessions);

public static class RecordSupervision
{
    public static Validation Validate(SupervisionRequest r, DateOnly today)
    {
        var v = new Validation();
        v.RequiredText("supervisor", r.Supervisor, 200);
        Recording.NotInFuture(v, "on", r.On, today);
        v.OptionalText("note", r.Note, 2000);
        return v;
    }

    public static async Task<Results<Ok<SupervisionTotal>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, SupervisionRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request, Recording.Today(clock));
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        if (Recording.Refuse(stream.Aggregate) is { } refused) return refused;

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        stream.AppendOne(new SupervisionSessionRecorded(id, request.Supervisor!.Trim(), request.On!.Value, note, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new SupervisionTotal(id, stream.Aggregate.SupervisionSessions + 1));
    }
}
