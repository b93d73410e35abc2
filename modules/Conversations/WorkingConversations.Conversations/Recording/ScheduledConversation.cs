using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Conversations.Recording;

/// <summary>The rule both outcomes of a conversation share: only a scheduled conversation of the open episode is recorded, once.</summary>
public static class ScheduledConversation
{
    public static (EpisodeState? Episode, ProblemHttpResult? Problem) Find(ConversationsJourney journey, Guid conversationId)
    {
        if (journey.Episode is not { } episode || !episode.Conversations.TryGetValue(conversationId, out var status))
            return (null, Problem.NotFound($"No conversation has the id {conversationId}."));
        if (episode.Ended) return (null, LegacyProblem.Conflict("The episode has ended: conversations can no longer be recorded.", StateProblems.Episode(episode)));
        if (status != ConversationStatuses.Scheduled)
            return (null, LegacyProblem.Conflict($"This conversation is already recorded as {status}.", StateProblems.Conversation(status)));
        return (episode, null);
    }
}
