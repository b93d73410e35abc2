using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Certifying;

public sealed record CertifiedVolunteer(Guid Id, string Programme, int Capacity, DateTimeOffset CertifiedAt);

public static class CertifyVolunteer
{
    public static int DefaultCapacity(string programme) => programme == Programmes.Apprentice ? 6 : 3;

    public static (VolunteerCertified? Certified, ProblemHttpResult? Problem) Decide(Volunteer volunteer, DateTimeOffset now) =>
        volunteer.Status == "certified"
            ? (null, Problem.Conflict("The volunteer is already certified.", new Dictionary<string, object?> { ["status"] = volunteer.Status }))
            : (new VolunteerCertified(volunteer.Id, volunteer.Programme, DefaultCapacity(volunteer.Programme), now), null);

    public static async Task<Results<Ok<CertifiedVolunteer>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (certified, problem) = Decide(stream.Aggregate, clock.GetUtcNow());
        if (certified is null) return problem!;

        stream.AppendOne(certified);
        // The certified volunteer's id is their practitioner id: Conversations may now assign them.
        await outbox.PublishAsync(new PractitionerCleared(id, certified.Programme, certified.Capacity, certified.CertifiedAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new CertifiedVolunteer(id, certified.Programme, certified.Capacity, certified.CertifiedAt));
    }
}
