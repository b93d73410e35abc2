using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Practitioners;

namespace WorkingConversations.Conversations.Assigning;

public sealed record AssignPractitionerRequest(Guid? PractitionerId);

public sealed record AssignmentResult(Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, string Programme);

public static class AssignPractitioner
{
    /// <summary>Pure: only a cleared practitioner with room may take the participant's open episode.</summary>
    public static (PractitionerAssigned? Assigned, ProblemHttpResult? Problem) Decide(
        ConversationsJourney? journey, Practitioner? practitioner, int activeCaseload, DateTimeOffset now)
    {
        if (journey?.Episode is not { } episode)
            return (null, LegacyProblem.Conflict("The participant has no open episode to assign a practitioner to."));
        if (episode.Ended)
            return (null, LegacyProblem.Conflict("The episode has ended: no practitioner can be assigned to it.", StateProblems.Episode(episode)));
        if (practitioner is null)
            return (null, LegacyProblem.Conflict("That practitioner is not cleared to practise.", new Dictionary<string, object?> { ["practitionerStatus"] = "unknown" }));
        if (!practitioner.MayTakeParticipants)
            return (null, LegacyProblem.Conflict($"That practitioner is {practitioner.Status} and may take no participants.",
                new Dictionary<string, object?> { ["practitionerStatus"] = practitioner.Status }));
        if (episode.PractitionerId == practitioner.Id)
            return (null, LegacyProblem.Conflict("That practitioner already holds this participant.", new Dictionary<string, object?> { ["practitionerId"] = practitioner.Id }));
        if (activeCaseload >= practitioner.Capacity)
            return (null, LegacyProblem.Conflict($"That practitioner is full: {activeCaseload} of {practitioner.Capacity} participants.",
                new Dictionary<string, object?> { ["capacity"] = practitioner.Capacity, ["caseload"] = activeCaseload }));
        return (new PractitionerAssigned(journey.Id, episode.EpisodeNumber, practitioner.Id, practitioner.Programme, episode.PractitionerId, now), null);
    }

    public static async Task<Results<Ok<AssignmentResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, AssignPractitionerRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (request.PractitionerId is not { } practitionerId) return Problem.Validation("practitionerId", "is required.");

        session.StampFrom(http);
        var stream = await session.Events.FetchForWriting<ConversationsJourney>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No participant with the id {id} has an episode.");
        // A client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;

        var practitioner = await session.LoadAsync<Practitioner>(practitionerId, ct);
        var caseload = await session.Query<CaseAssignment>().CountAsync(a => a.PractitionerId == practitionerId && a.Active, ct);
        var (assigned, problem) = Decide(stream.Aggregate, practitioner, caseload, clock.GetUtcNow());
        if (assigned is null) return problem!;

        stream.AppendOne(assigned);
        // Replacing the document moves the participant out of the previous practitioner's caseload and access.
        session.Store(new CaseAssignment(id, assigned.PractitionerId, assigned.EpisodeNumber, true, assigned.AssignedAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new AssignmentResult(id, assigned.EpisodeNumber, assigned.PractitionerId, assigned.Programme));
    }
}
