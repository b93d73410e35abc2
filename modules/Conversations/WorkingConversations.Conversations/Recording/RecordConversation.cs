using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations.Recording;

public sealed record RecordConversationRequest(
    bool? Attended, string? BestHopes, string[]? PreferredFutureSigns, int? Scale, string? Exceptions, string? OnePointUp,
    string? NextSmallStep, string? Notes, bool? RiskDisclosed, int? DurationMinutes);

public sealed record RecordedConversation(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, string Status, Guid? SafeguardingConcernId);

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

    public const string DisclosedRiskDescription = "A risk was disclosed in a conversation.";

    /// <summary>Pure: a scheduled conversation of the open episode may be recorded once; a disclosed risk raises a concern with it.</summary>
    public static (ConversationHeld? Held, SafeguardingConcernRaised? Concern, ProblemHttpResult? Problem) Decide(
        ConversationsJourney journey, Guid conversationId, RecordConversationRequest r, Guid concernId, DateTimeOffset now)
    {
        var (found, refused) = ScheduledConversation.Find(journey, conversationId);
        if (found is not { } episode) return (null, null, refused);
        var held = new ConversationHeld(conversationId, journey.Id, episode.ReferralId, episode.EpisodeNumber, episode.PractitionerId ?? Guid.Empty,
            r.BestHopes!, r.PreferredFutureSigns!, r.Scale!.Value, r.Exceptions!, r.OnePointUp!, r.NextSmallStep, r.Notes,
            r.RiskDisclosed!.Value, r.DurationMinutes!.Value, now);
        var concern = held.RiskDisclosed
            ? new SafeguardingConcernRaised(concernId, journey.Id, episode.EpisodeNumber, ConcernSources.Conversation, conversationId, DisclosedRiskDescription, now)
            : null;
        return (held, concern, null);
    }

    public static async Task<Results<Ok<RecordedConversation>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, RecordConversationRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var actor = session.StampFrom(http);
        var conversation = await session.LoadAsync<ConversationSummary>(id, ct);
        if (conversation is null || !await ParticipantAccess.MayActOn(session, actor, conversation.ParticipantId, ct))
            return Problem.NotFound($"No conversation with the id {id} is yours to see.");
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var stream = await session.Events.FetchForWriting<ConversationsJourney>(conversation.ParticipantId, ct);
        // A client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;
        var (held, concern, problem) = Decide(stream.Aggregate!, id, request, Guid.CreateVersion7(), clock.GetUtcNow());
        if (held is null) return problem!;

        // The concern is appended in the same transaction as the conversation: a disclosed risk cannot be saved without it.
        stream.AppendOne(held);
        if (concern is not null) stream.AppendOne(concern);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new RecordedConversation(id, held.ParticipantId, held.EpisodeNumber, ConversationStatuses.Held, concern?.ConcernId));
    }
}
