using Marten;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Conversations.Episodes;

/// <summary>An accepted referral opens the episode on the Conversations side.</summary>
public static class OpenEpisodeHandler
{
    public static async Task Handle(ReferralAccepted accepted, IDocumentSession session, TimeProvider clock)
    {
        var stream = await session.Events.FetchForWriting<ConversationsJourney>(accepted.ParticipantId);
        // A redelivered message finds the episode already open and does nothing.
        if (stream.Aggregate?.Episode?.EpisodeNumber >= accepted.EpisodeNumber) return;
        stream.AppendOne(new EpisodeOpened(accepted.ParticipantId, accepted.ReferralId, accepted.EpisodeNumber, clock.GetUtcNow()));

        // The practitioner of an earlier episode reached it only until a new one opened; the new episode starts unassigned.
        var previous = await session.LoadAsync<CaseAssignment>(accepted.ParticipantId);
        if (previous is not null && previous.EpisodeNumber < accepted.EpisodeNumber) session.Delete(previous);
    }
}
