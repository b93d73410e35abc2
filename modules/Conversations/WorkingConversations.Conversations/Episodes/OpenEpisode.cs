using Marten;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Conversations.Episodes;

/// <summary>An accepted referral opens the episode on the Conversations side.</summary>
public static class OpenEpisodeHandler
{
    /// <summary>
    /// Pure: the episode opens once (a redelivered message finds it open and does nothing), unassigned; the practitioner of
    /// an earlier episode reached it only until a new one opened.
    /// </summary>
    internal static Decision Decide(ConversationsJourney? journey, CaseAssignment? previous, ReferralAccepted accepted, DateTimeOffset now)
    {
        if (journey?.Episode?.EpisodeNumber >= accepted.EpisodeNumber) return Decision.Nothing;
        var opened = Decision.Append(new EpisodeOpened(accepted.ParticipantId, accepted.ReferralId, accepted.EpisodeNumber, now));
        return previous is not null && previous.EpisodeNumber < accepted.EpisodeNumber ? opened.Delete(previous) : opened;
    }

    public static async Task Handle(ReferralAccepted accepted, IDocumentSession session, TimeProvider clock)
    {
        var previous = await session.LoadAsync<CaseAssignment>(accepted.ParticipantId);
        await session.DecideAsync<ConversationsJourney>(accepted.ParticipantId, journey => Decide(journey, previous, accepted, clock.GetUtcNow()));
    }
}
