using System.Collections.Immutable;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals;

/// <summary>
/// The Referrals module's write model of a participant journey: each referral's status and which episode, if any, is
/// open. Built from the journey stream, so a write that raced another gets Marten's concurrency error, never a lost update.
/// </summary>
internal sealed record ReferralsJourney(Guid Id, int Episodes, int? OpenEpisode, ImmutableDictionary<Guid, ReferralState> Referrals)
{
    public static ReferralsJourney Create(ReferralReceived e) =>
        new(e.ParticipantId, e.EpisodeNumber, e.EpisodeNumber,
            ImmutableDictionary<Guid, ReferralState>.Empty.Add(e.ReferralId, new ReferralState(e.ReferralId, e.PartnerId, e.EpisodeNumber, ReferralStatuses.Received)));

    public ReferralsJourney Apply(ReferralReceived e) =>
        this with
        {
            Episodes = Math.Max(Episodes, e.EpisodeNumber),
            OpenEpisode = e.EpisodeNumber,
            Referrals = Referrals.SetItem(e.ReferralId, new ReferralState(e.ReferralId, e.PartnerId, e.EpisodeNumber, ReferralStatuses.Received)),
        };

    public ReferralsJourney Apply(ReferralAttachedToOpenEpisode e) =>
        this with { Referrals = Referrals.SetItem(e.ReferralId, new ReferralState(e.ReferralId, e.PartnerId, e.EpisodeNumber, ReferralStatuses.Received, AttachedTo: e.EpisodeNumber)) };

    public ReferralsJourney Apply(ReferralAccepted e) => WithStatus(e.ReferralId, ReferralStatuses.Accepted);

    public ReferralsJourney Apply(ReferralWaitlisted e) => WithStatus(e.ReferralId, ReferralStatuses.Waitlisted);

    public ReferralsJourney Apply(ReferralDeclined e) => Close(WithStatus(e.ReferralId, ReferralStatuses.Declined), e.EpisodeNumber, e.ReferralId);

    public ReferralsJourney Apply(ReferralWithdrawn e) => Close(WithStatus(e.ReferralId, ReferralStatuses.Withdrawn), e.EpisodeNumber, e.ReferralId);

    public ReferralsJourney Apply(ConversationHeld e) =>
        Referrals.TryGetValue(e.ReferralId, out var r) && r.Status == ReferralStatuses.Accepted ? WithStatus(e.ReferralId, ReferralStatuses.InConversation) : this;

    public ReferralsJourney Apply(EpisodeEnded e) => Close(WithStatus(e.ReferralId, ReferralStatuses.Ended), e.EpisodeNumber, e.ReferralId);

    private ReferralsJourney WithStatus(Guid referralId, string status) =>
        Referrals.TryGetValue(referralId, out var r) ? this with { Referrals = Referrals.SetItem(referralId, r with { Status = status }) } : this;

    /// <summary>An episode closes with its own referral; a referral attached to it closing does not close the episode.</summary>
    private static ReferralsJourney Close(ReferralsJourney journey, int episode, Guid referralId) =>
        journey.OpenEpisode == episode && journey.Referrals.TryGetValue(referralId, out var r) && r.AttachedTo is null
            ? journey with { OpenEpisode = null }
            : journey;
}

internal sealed record ReferralState(Guid ReferralId, Guid PartnerId, int EpisodeNumber, string Status, int? AttachedTo = null);
