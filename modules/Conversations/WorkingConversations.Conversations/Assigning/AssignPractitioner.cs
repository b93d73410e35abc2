using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Practitioners;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Conversations.Assigning;

internal sealed record AssignPractitionerRequest(Guid? PractitionerId);

public sealed record EligiblePractitioner(Guid Id, string Programme, int Capacity, int Caseload);

internal sealed record AssignmentResult(Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, string Programme);

internal static class AssignPractitioner
{
    public static Validation Validate(AssignPractitionerRequest request)
    {
        var v = new Validation();
        v.Required("practitionerId", request.PractitionerId);
        return v;
    }

    /// <summary>Pure: only a cleared practitioner with room may take the participant's open episode.</summary>
    public static Decision<PractitionerAssigned> Decide(ConversationsJourney? journey, Practitioner? practitioner, int activeCaseload, DateTimeOffset now)
    {
        if (journey?.Episode is not { } episode) return Refusal.Conflict("The participant has no open episode to assign a practitioner to.");
        if (episode.Ended) return StateProblems.Episode(Refusal.Conflict("The episode has ended: no practitioner can be assigned to it."), episode);
        if (practitioner is null) return Refusal.Conflict("That practitioner is not cleared to practise.").With("practitionerStatus", "unknown");
        if (!practitioner.MayTakeParticipants)
            return Refusal.Conflict($"That practitioner is {practitioner.Status} and may take no participants.").With("practitionerStatus", practitioner.Status);
        if (episode.PractitionerId == practitioner.Id)
            return Refusal.Conflict("That practitioner already holds this participant.").With("practitionerId", practitioner.Id);
        if (activeCaseload >= practitioner.Capacity)
            return Refusal.Conflict($"That practitioner is full: {activeCaseload} of {practitioner.Capacity} participants.")
                .With("capacity", practitioner.Capacity).With("caseload", activeCaseload);

        var assigned = new PractitionerAssigned(journey.Id, episode.EpisodeNumber, practitioner.Id, practitioner.Programme, episode.PractitionerId, now, practitioner.ClearedAt);
        return Decision.Append(assigned)
            // Replacing the document moves the participant out of the previous practitioner's caseload.
            .Store(new CaseAssignment(journey.Id, assigned.PractitionerId, assigned.EpisodeNumber, true, assigned.AssignedAt))
            // Stored as it was read: two assignments to one practitioner at the same moment then conflict on its version,
            // and the one that loses is decided again on the caseload the other left (and a suspension that meets an
            // assignment is decided again in the same way).
            .Store(practitioner);
    }

    /// <summary>The practitioners a participant may be given now: cleared, with a free place; the most free places first.</summary>
    public static async Task<IReadOnlyList<EligiblePractitioner>> Eligible(IQuerySession session, CancellationToken ct)
    {
        var cleared = await session.Query<Practitioner>().Where(p => p.Status == PractitionerStatuses.Cleared).ToListAsync(ct);
        var ids = cleared.Select(p => p.Id).ToArray();
        var held = ids.Length == 0
            ? []
            : await session.Query<CaseAssignment>().Where(a => a.Active && a.PractitionerId.IsOneOf(ids)).Select(a => a.PractitionerId).ToListAsync(ct);
        var caseloads = held.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        return [.. cleared.Select(p => new EligiblePractitioner(p.Id, p.Programme, p.Capacity, caseloads.GetValueOrDefault(p.Id)))
            .Where(p => p.Caseload < p.Capacity)
            .OrderByDescending(p => p.Capacity - p.Caseload).ThenBy(p => p.Id)];
    }

    public static Task<IResult> Handle(Guid id, JsonBody<AssignPractitionerRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read),
            assigned => Answer.Ok(new AssignmentResult(id, assigned.EpisodeNumber, assigned.PractitionerId, assigned.Programme)));

    /// <summary>The assignment write of the API and the page.</summary>
    public static Func<WriteAttempt, Task<Decision<PractitionerAssigned>>> Deciding(Guid id, AssignPractitionerRequest request) => async attempt =>
    {
        var journey = await attempt.Stream<ConversationsJourney>(id);
        if (journey is null) return ConversationsJourney.NoEpisode(id);
        var practitionerId = request.PractitionerId!.Value;
        var practitioner = await attempt.Session.LoadAsync<Practitioner>(practitionerId, attempt.Cancellation);
        var caseload = await attempt.Session.Query<CaseAssignment>().CountAsync(a => a.PractitionerId == practitionerId && a.Active, attempt.Cancellation);
        return Decide(journey, practitioner, caseload, attempt.Now);
    };
}
