using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Scheduling;

namespace WorkingConversations.Conversations.Recording;

public sealed record RecordConversationRequest(
    bool? Attended, string? BestHopes, string[]? PreferredFutureSigns, int? Scale, string? Exceptions, string? OnePointUp,
    string? NextSmallStep, string? Notes, bool? RiskDisclosed, int? DurationMinutes);

public sealed record RecordedConversation(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, string Status);

public static class RecordConversation
{
    public static Validation Validate(RecordConversationRequest r)
    {
        var v = new Validation();
        if (r.Attended is not true) v.Add("attended", "must be true: record a conversation that did not happen with POST /api/v1/conversations/{id}/missed.");
        v.RequiredText("bestHopes", r.BestHopes, 4000);
        if (r.PreferredFutureSigns is null) v.Add("preferredFutureSigns", "is required (it may be an empty list).");
        else
        {
            if (r.PreferredFutureSigns.Length > 50) v.Add("preferredFutureSigns", "must have at most 50 signs.");
            for (var i = 0; i < r.PreferredFutureSigns.Length; i++) v.RequiredText($"preferredFutureSigns[{i}]", r.PreferredFutureSigns[i], 1000);
        }

        v.InRange("scale", r.Scale, 0, 10);
        v.RequiredText("exceptions", r.Exceptions, 4000);
        v.RequiredText("onePointUp", r.OnePointUp, 4000);
        v.OptionalText("nextSmallStep", r.NextSmallStep, 2000);
        v.OptionalText("notes", r.Notes, 8000);
        v.Required("riskDisclosed", r.RiskDisclosed);
        v.InRange("durationMinutes", r.DurationMinutes, 1, 600);
        return v;
    }

    public static (ConversationHeld? Held, ProblemHttpResult? Problem) Decide(
        ConversationsJourney journey, Guid conversationId, RecordConversationRequest r, DateTimeOffset now)
    {
        if (journey.Episode is not { } episode || !episode.Conversations.TryGetValue(conversationId, out var status))
            return (null, Problem.NotFound($"No conversation has the id {conversationId}."));
        if (episode.Ended) return (null, Problem.Conflict("The episode has ended: conversations can no longer be recorded.", new Dictionary<string, object?> { ["episodeStatus"] = "ended" }));
        if (status != ConversationStatuses.Scheduled)
            return (null, Problem.Conflict($"This conversation is already recorded as {status}.", new Dictionary<string, object?> { ["conversationStatus"] = status }));
        return (new ConversationHeld(conversationId, journey.Id, episode.ReferralId, episode.EpisodeNumber, episode.PractitionerId ?? Guid.Empty,
            r.BestHopes!, r.PreferredFutureSigns!, r.Scale!.Value, r.Exceptions!, r.OnePointUp!, r.NextSmallStep, r.Notes,
            r.RiskDisclosed!.Value, r.DurationMinutes!.Value, now), null);
    }

    public static async Task<Results<Ok<RecordedConversation>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, RecordConversationRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var actor = session.StampFrom(http, outbox);
        var index = await session.LoadAsync<ConversationIndex>(id, ct);
        if (index is null || !await ParticipantAccess.MayActOn(session, actor, index.ParticipantId, ct))
            return Problem.NotFound($"No conversation with the id {id} is yours to see.");
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var stream = await session.Events.FetchForWriting<ConversationsJourney>(index.ParticipantId, ct);
        var (held, problem) = Decide(stream.Aggregate!, id, request, clock.GetUtcNow());
        if (held is null) return problem!;

        stream.AppendOne(held);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new RecordedConversation(id, held.ParticipantId, held.EpisodeNumber, ConversationStatuses.Held));
    }
}
