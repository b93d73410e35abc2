using Marten;
using Wolverine.Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;

namespace WorkingConversations.Conversations.Views;

/// <summary>One conversation: what the <c>Location</c> of a scheduled conversation points at.</summary>
internal static class GetConversation
{
    public static async Task<Results<Ok<ConversationItem>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, JourneyAccess access, TimeProvider clock, CancellationToken ct)
    {
        var summary = await session.LoadAsync<ConversationSummary>(id, ct);
        if (summary is null || !await access.MaySee(session, Actor.From(http.User), summary.ParticipantId, ct))
            return Problem.NotFound($"No conversation with the id {id} is yours to see.");

        var events = await session.Events.FetchStreamAsync(summary.ParticipantId, token: ct);
        var item = ListConversations.Fold(events.Select(e => e.Data)).FirstOrDefault(c => c.ConversationId == id);
        if (item is null) return Problem.NotFound($"No conversation with the id {id} is yours to see.");
        await ConversationReads.RecordAsync(session, outbox, http, summary.ParticipantId, ConversationReads.Conversation, clock.GetUtcNow(), ct);
        return TypedResults.Ok(item);
    }
}
