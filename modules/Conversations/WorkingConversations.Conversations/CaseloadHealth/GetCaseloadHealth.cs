using System.Globalization;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Practitioners;
using WorkingConversations.Outcomes.Contracts;

namespace WorkingConversations.Conversations.CaseloadHealth;

internal static class PromptKinds
{
    public const string NoRecentConversation = "no-recent-conversation";
    public const string ScaleFlatOrFalling = "scale-flat-or-falling";
    public const string OpenSafeguardingConcern = "open-safeguarding-concern";
    public const string FollowUpDue = "follow-up-due";
}

/// <summary>
/// A prompt to take to supervision about one participant. <see cref="Detail"/> is a fixed phrase of the service with
/// figures and dates, never the participant's words, so a trainer may read it.
/// </summary>
public sealed record CaseloadPrompt(string Kind, Guid ParticipantId, int EpisodeNumber, string Detail, DateTimeOffset Since);

public sealed record CaseloadHealthReport(Guid PractitionerId, int QuietWeeks, int ActiveParticipants, IReadOnlyList<CaseloadPrompt> Prompts);

internal static class GetCaseloadHealth
{
    /// <summary>
    /// Pure: the prompts for one participant from their journey's events. While the practitioner holds the episode: no
    /// conversation for more than the quiet weeks (counted from the assignment until the first), and the scale flat or
    /// falling over the last conversations. Whether held or ended: an open safeguarding concern. After the episode
    /// ended: a follow-up check-in that came due, was not missed, and has no follow-up recorded since the check-in
    /// before it was due (or since the end, for the first).
    /// </summary>
    public static IEnumerable<CaseloadPrompt> For(CaseAssignment assignment, IReadOnlyList<object> events, DateTimeOffset now, CaseloadHealthSettings settings)
    {
        var episode = assignment.EpisodeNumber;
        foreach (var concern in OpenConcerns(events))
        {
            yield return new CaseloadPrompt(PromptKinds.OpenSafeguardingConcern, assignment.Id, concern.EpisodeNumber,
                $"A safeguarding concern raised from a {concern.Source} on {Day(concern.RaisedAt)} is still open.", concern.RaisedAt);
        }

        if (assignment.Active)
        {
            var held = events.OfType<ConversationHeld>().Where(h => h.EpisodeNumber == episode).OrderBy(h => h.HeldAt).ToList();
            var last = held.Count == 0 ? assignment.AssignedAt : held[^1].HeldAt;
            var quiet = now - last;
            if (quiet > TimeSpan.FromDays(7 * settings.QuietWeeks))
            {
                var weeks = (int)Math.Floor(quiet.TotalDays / 7);
                yield return new CaseloadPrompt(PromptKinds.NoRecentConversation, assignment.Id, episode,
                    held.Count == 0
                        ? Invariant($"No conversation held in the {weeks} weeks since the assignment on {Day(last)}.")
                        : Invariant($"No conversation for {weeks} weeks: the last was on {Day(last)}."), last);
            }

            if (held.Count >= settings.FlatConversations)
            {
                var recent = held[^settings.FlatConversations..];
                if (recent.Zip(recent.Skip(1)).All(p => p.Second.Scale <= p.First.Scale))
                {
                    var falling = recent[^1].Scale < recent[0].Scale;
                    yield return new CaseloadPrompt(PromptKinds.ScaleFlatOrFalling, assignment.Id, episode,
                        Invariant($"The scale has been {(falling ? "falling" : "flat")} for {recent.Count} conversations: {string.Join(", ", recent.Select(h => h.Scale))}."),
                        recent[0].HeldAt);
                }
            }
        }
        else if (FollowUpDue(events, episode) is { } due)
        {
            yield return new CaseloadPrompt(PromptKinds.FollowUpDue, assignment.Id, episode,
                Invariant($"The {due.Months}-month follow-up check-in was due on {Day(due.DueOn)}."), due.DueOn);
        }
    }

    private static IEnumerable<SafeguardingConcernRaised> OpenConcerns(IReadOnlyList<object> events)
    {
        var acknowledged = events.OfType<SafeguardingConcernAcknowledged>().Select(a => a.ConcernId).ToHashSet();
        return events.OfType<SafeguardingConcernRaised>().Where(c => !acknowledged.Contains(c.ConcernId)).OrderBy(c => c.RaisedAt);
    }

    private static FollowUpCheckInDue? FollowUpDue(IReadOnlyList<object> events, int episode)
    {
        var scheduled = events.OfType<FollowUpsScheduled>().LastOrDefault(s => s.EpisodeNumber == episode);
        if (scheduled is null) return null;
        var missed = events.OfType<FollowUpCheckInMissed>().Where(m => m.EpisodeNumber == episode).Select(m => m.Months).ToHashSet();
        var followUps = events.OfType<QuestionnaireRecorded>().Where(q => q.EpisodeNumber == episode && q.Timepoint == "follow-up").Select(q => q.RecordedAt)
            .Concat(events.OfType<CircumstancesRecorded>().Where(c => c.EpisodeNumber == episode && c.Timepoint == "follow-up").Select(c => c.RecordedAt))
            .ToList();
        var dueOn = scheduled.Months.Zip(scheduled.DueOn).OrderBy(d => d.Second).ToList();
        return events.OfType<FollowUpCheckInDue>()
            .Where(d => d.EpisodeNumber == episode && !missed.Contains(d.Months))
            .Where(d =>
            {
                var before = dueOn.Where(x => x.Second < d.DueOn).Select(x => (DateTimeOffset?)x.Second).LastOrDefault() ?? scheduled.EpisodeEndedAt;
                return !followUps.Any(at => at > before);
            })
            .OrderBy(d => d.DueOn)
            .FirstOrDefault();
    }

    /// <summary>Pure: the prompts of every participant the practitioner holds or held, oldest first.</summary>
    public static CaseloadHealthReport Build(
        Guid practitionerId, IEnumerable<CaseAssignment> assignments, ILookup<Guid, object> eventsByParticipant, DateTimeOffset now, CaseloadHealthSettings settings)
    {
        var own = assignments.Where(a => a.PractitionerId == practitionerId).ToList();
        var prompts = own.SelectMany(a => For(a, [.. eventsByParticipant[a.Id]], now, settings))
            .OrderBy(p => p.Since).ThenBy(p => p.ParticipantId).ThenBy(p => p.Kind, StringComparer.Ordinal).ToList();
        return new CaseloadHealthReport(practitionerId, settings.QuietWeeks, own.Count(a => a.Active), prompts);
    }

    public static async Task<Results<Ok<CaseloadHealthReport>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IQuerySession session, CaseloadHealthSettings settings, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        // A practitioner sees only their own prompts; anyone else's is "not found".
        if (actor.IsIn(Roles.Practitioner) && actor.PractitionerId != id) return Problem.NotFound($"No practitioner with the id {id} is yours to see.");
        if (await session.LoadAsync<Practitioner>(id, ct) is null) return Problem.NotFound($"No practitioner has the id {id}.");
        return TypedResults.Ok(await Load(session, id, clock.GetUtcNow(), settings, ct));
    }

    /// <summary>The prompts of a practitioner, read in one query over the journeys of everyone they hold or held.</summary>
    public static async Task<CaseloadHealthReport> Load(IQuerySession session, Guid practitionerId, DateTimeOffset now, CaseloadHealthSettings settings, CancellationToken ct)
    {
        var assignments = await session.Query<CaseAssignment>().Where(a => a.PractitionerId == practitionerId).ToListAsync(ct);
        var ids = assignments.Select(a => a.Id).ToArray();
        IReadOnlyList<IEvent> events = ids.Length == 0
            ? []
            : await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).OrderBy(e => e.Sequence).ToListAsync(ct);
        return Build(practitionerId, assignments, events.ToLookup(e => e.StreamId, e => e.Data), now, settings);
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
