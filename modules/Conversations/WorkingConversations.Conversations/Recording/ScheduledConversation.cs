using Marten;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations.Recording;

/// <summary>The rule both outcomes of a conversation share: only a scheduled conversation of the open episode is recorded, once.</summary>
internal static class ScheduledConversation
{
    public static (EpisodeState? Episode, Refusal? Refusal) Find(ConversationsJourney journey, Guid conversationId)
    {
        if (journey.Episode is not { } episode || !episode.Conversations.TryGetValue(conversationId, out var status))
            return (null, Refusal.NotFound($"No conversation has the id {conversationId}."));
        if (episode.Ended) return (null, StateProblems.Episode(Refusal.Conflict("The episode has ended: conversations can no longer be recorded."), episode));
        if (status != ConversationStatuses.Scheduled)
            return (null, StateProblems.Conversation(Refusal.Conflict($"This conversation is already recorded as {status}."), status));
        return (episode, null);
    }

    /// <summary>The journey a conversation belongs to, for writing, when the caller may see its participant; null otherwise.</summary>
    public static async Task<ConversationsJourney?> JourneyOf(WriteAttempt attempt, Guid conversationId) =>
        await attempt.Session.LoadAsync<ConversationSummary>(conversationId, attempt.Cancellation) is { } conversation
            ? await attempt.Journey<ConversationsJourney>(conversation.ParticipantId)
            : null;

    public static Refusal NotYours(Guid conversationId) => Refusal.NotFound($"No conversation with the id {conversationId} is yours to see.");
}
