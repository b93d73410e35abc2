using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Conversations.Ending;

internal sealed record EndEpisodeRequest(string? Reason, string? Note);

internal sealed record EndedEpisode(Guid ParticipantId, Guid ReferralId, int EpisodeNumber, string Status, string Reason, int ConversationsHeld, DateTimeOffset EndedAt);

internal static class EndEpisode
{
    public static readonly string[] Reasons = ["goals-reached", "disengaged", "referred-on", "moved-away", "other"];

    public static Validation Validate(EndEpisodeRequest r)
    {
        var v = new Validation();
        v.OneOf("reason", r.Reason, Reasons);
        v.OptionalText("note", r.Note, 4000);
        return v;
    }

    /// <summary>
    /// Pure: an open episode ends once, carrying what Outcomes needs to classify it (its referral and conversations held),
    /// and the participant leaves their practitioner's caseload, which frees a place in their capacity.
    /// </summary>
    public static Decision<EpisodeEnded> Decide(ConversationsJourney journey, EndEpisodeRequest r, DateTimeOffset now, CaseAssignment? assignment = null)
    {
        if (journey.Episode is not { } episode) return Refusal.Conflict("The participant has no open episode to end.");
        if (episode.Ended) return StateProblems.Episode(Refusal.Conflict("The episode has already ended."), episode);
        var ended = new EpisodeEnded(journey.Id, episode.ReferralId, episode.EpisodeNumber, r.Reason!, r.Note, episode.Held, now);
        // Outcomes classifies the episode and schedules its follow-ups from the message, sent only if the append commits.
        var decision = Decision.Append(ended).Publish(ended);
        return assignment is { Active: true } held ? decision.Store(held with { Active = false }) : decision;
    }

    public static Task<IResult> Handle(Guid id, JsonBody<EndEpisodeRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read),
            ended => Answer.Ok(new EndedEpisode(id, ended.ReferralId, ended.EpisodeNumber, EpisodeStatuses.Ended, ended.Reason, ended.ConversationsHeld, ended.EndedAt)));

    public static Func<WriteAttempt, Task<Decision<EpisodeEnded>>> Deciding(Guid id, EndEpisodeRequest request) => async attempt =>
    {
        if (await attempt.Journey<ConversationsJourney>(id) is not { } journey) return JourneyAccess.NotYours(id);
        var assignment = await attempt.Session.LoadAsync<CaseAssignment>(id, attempt.Cancellation);
        return Decide(journey, request, attempt.Now, assignment);
    };
}
