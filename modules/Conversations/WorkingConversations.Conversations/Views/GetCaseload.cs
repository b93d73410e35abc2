using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Practitioners;

namespace WorkingConversations.Conversations.Views;

public sealed record NextConversation(Guid ConversationId, DateTimeOffset ScheduledFor, string Mode, bool Overdue);

public sealed record CaseloadParticipant(
    Guid ParticipantId, int EpisodeNumber, DateTimeOffset AssignedAt, NextConversation? NextConversation, int ConversationsHeld,
    DateTimeOffset? LastContactAt, int? DaysSinceLastContact);

public sealed record Caseload(Guid PractitionerId, string Programme, string Status, int Capacity, int ActiveParticipants, IReadOnlyList<CaseloadParticipant> Participants);

internal static class GetCaseload
{
    /// <summary>
    /// Pure: each participant the practitioner holds, with the earliest conversation still to record (overdue when its
    /// time has passed) and the whole days since the last held one; longest without contact first.
    /// </summary>
    public static Caseload Build(Practitioner practitioner, IEnumerable<CaseAssignment> assignments, IEnumerable<ConversationSummary> conversations, DateTimeOffset now)
    {
        var byParticipant = conversations.ToLookup(c => (c.ParticipantId, c.EpisodeNumber));
        var participants = assignments.Where(a => a.Active && a.PractitionerId == practitioner.Id).Select(a =>
        {
            var own = byParticipant[(a.Id, a.EpisodeNumber)].ToList();
            var next = own.Where(c => c.Status == ConversationStatuses.Scheduled).OrderBy(c => c.ScheduledFor).FirstOrDefault();
            var held = own.Where(c => c.Status == ConversationStatuses.Held).ToList();
            var last = held.Count == 0 ? (DateTimeOffset?)null : held.Max(c => c.HeldAt);
            return new CaseloadParticipant(a.Id, a.EpisodeNumber, a.AssignedAt,
                next is null ? null : new NextConversation(next.Id, next.ScheduledFor, next.Mode, next.ScheduledFor < now),
                held.Count, last, last is { } at ? Math.Max(0, (int)Math.Floor((now - at).TotalDays)) : null);
        }).OrderByDescending(p => p.LastContactAt is null).ThenBy(p => p.LastContactAt ?? p.AssignedAt).ThenBy(p => p.ParticipantId).ToList();
        return new Caseload(practitioner.Id, practitioner.Programme, practitioner.Status, practitioner.Capacity, participants.Count, participants);
    }

    public static async Task<Results<Ok<Caseload>, ProblemHttpResult>> Handle(Guid id, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        // A practitioner sees only their own caseload; anyone else's is "not found".
        if (actor.IsIn(Roles.Practitioner) && actor.PractitionerId != id) return Problem.NotFound($"No practitioner with the id {id} is yours to see.");
        var practitioner = await session.LoadAsync<Practitioner>(id, ct);
        if (practitioner is null) return Problem.NotFound($"No practitioner has the id {id}.");
        return TypedResults.Ok(await Load(session, practitioner, clock.GetUtcNow(), ct));
    }

    /// <summary>A practitioner's caseload as it is now: the API's answer and the practitioner's home page.</summary>
    public static async Task<Caseload> Load(IQuerySession session, Practitioner practitioner, DateTimeOffset now, CancellationToken ct)
    {
        var id = practitioner.Id;
        var assignments = await session.Query<CaseAssignment>().Where(a => a.PractitionerId == id && a.Active).ToListAsync(ct);
        var participantIds = assignments.Select(a => a.Id).ToArray();
        var conversations = participantIds.Length == 0
            ? []
            : await session.Query<ConversationSummary>().Where(c => c.ParticipantId.IsOneOf(participantIds)).ToListAsync(ct);
        return Build(practitioner, assignments, conversations, now);
    }
}
