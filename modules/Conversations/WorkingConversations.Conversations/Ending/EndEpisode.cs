using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Ending;

public sealed record EndEpisodeRequest(string? Reason, string? Note);

public sealed record EndedEpisode(Guid ParticipantId, Guid ReferralId, int EpisodeNumber, string Status, string Reason, int ConversationsHeld, DateTimeOffset EndedAt);

public static class EndEpisode
{
    public static readonly string[] Reasons = ["goals-reached", "disengaged", "referred-on", "moved-away", "other"];

    public static Validation Validate(EndEpisodeRequest r)
    {
        var v = new Validation();
        v.OneOf("reason", r.Reason, Reasons);
        v.OptionalText("note", r.Note, 4000);
        return v;
    }

    /// <summary>Pure: an open episode ends once, carrying what Outcomes needs to classify it (its referral and conversations held).</summary>
    public static (EpisodeEnded? Ended, ProblemHttpResult? Problem) Decide(ConversationsJourney journey, EndEpisodeRequest r, DateTimeOffset now)
    {
        if (journey.Episode is not { } episode) return (null, LegacyProblem.Conflict("The participant has no open episode to end."));
        if (episode.Ended) return (null, LegacyProblem.Conflict("The episode has already ended.", StateProblems.Episode(episode)));
        return (new EpisodeEnded(journey.Id, episode.ReferralId, episode.EpisodeNumber, r.Reason!, r.Note, episode.Held, now), null);
    }

    public static async Task<Results<Ok<EndedEpisode>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, EndEpisodeRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var actor = session.StampFrom(http, outbox);
        if (!await ParticipantAccess.MayActOn(session, actor, id, ct)) return Problem.NotFound($"No participant with the id {id} is yours to see.");
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var stream = await session.Events.FetchForWriting<ConversationsJourney>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No participant with the id {id} has an episode.");
        // A client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;
        var (ended, problem) = Decide(stream.Aggregate, request, clock.GetUtcNow());
        if (ended is null) return problem!;

        stream.AppendOne(ended);
        // Outcomes classifies the episode and schedules its follow-ups from this message, sent only if the append commits.
        await outbox.PublishAsync(ended);
        // The participant leaves the practitioner's caseload and frees a place in their capacity.
        if (await session.LoadAsync<CaseAssignment>(id, ct) is { Active: true } assignment) session.Store(assignment with { Active = false });
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new EndedEpisode(id, ended.ReferralId, ended.EpisodeNumber, EpisodeStatuses.Ended, ended.Reason, ended.ConversationsHeld, ended.EndedAt));
    }
}
