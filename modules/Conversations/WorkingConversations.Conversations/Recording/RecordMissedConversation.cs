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

public sealed record RecordMissedConversationRequest(string? Reason);

public sealed record MissedConversation(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, string Status, string Reason);

public static class RecordMissedConversation
{
    public static readonly string[] Reasons = ["did-not-attend", "cancelled-by-participant", "cancelled-by-service"];

    public static Validation Validate(RecordMissedConversationRequest r)
    {
        var v = new Validation();
        v.OneOf("reason", r.Reason, Reasons);
        return v;
    }

    /// <summary>Pure: only a scheduled conversation of the open episode can be missed or cancelled, and only once.</summary>
    public static (ConversationMissed? Missed, ProblemHttpResult? Problem) Decide(ConversationsJourney journey, Guid conversationId, string reason, DateTimeOffset now)
    {
        var (found, refused) = ScheduledConversation.Find(journey, conversationId);
        if (found is not { } episode) return (null, refused);
        return (new ConversationMissed(conversationId, journey.Id, episode.EpisodeNumber, episode.PractitionerId ?? Guid.Empty, reason, now), null);
    }

    public static async Task<Results<Ok<MissedConversation>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, RecordMissedConversationRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
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
        var (missed, problem) = Decide(stream.Aggregate!, id, request.Reason!, clock.GetUtcNow());
        if (missed is null) return problem!;

        stream.AppendOne(missed);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new MissedConversation(id, missed.ParticipantId, missed.EpisodeNumber, ConversationStatuses.Missed, missed.Reason));
    }
}
