using JasperFx.Events;
using Marten;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Identity;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.JourneyParts;

/// <summary>Referrals' piece of each episode in the journey state (api.md): the episode's own referral, its partner and status.</summary>
internal sealed record ReferralsEpisodePart(Guid? ReferralId, Guid? PartnerId, string? Status)
{
    public static ReferralsEpisodePart Empty(int episode) => new(null, null, null);

    public ReferralsEpisodePart Apply(ReferralReceived e) => new(e.ReferralId, e.PartnerId, ReferralStatuses.Received);

    /// <summary>A referral attached to an open episode never changes that episode's status: only its own referral does.</summary>
    public ReferralsEpisodePart WithStatus(Guid referralId, string status) => referralId == ReferralId ? this with { Status = status } : this;
}

/// <summary>What Referrals contributes to the participant journey beyond its events: state, the identity export, erasure.</summary>
internal static class ReferralsJourneyParts
{
    public const string IdentitySection = "identity";

    public static void Describe(JourneyCatalog catalog)
    {
        catalog
            .AddStatePart(new JourneyStatePart<ReferralsEpisodePart>(ReferralsModule.ModuleName, ReferralsEpisodePart.Empty)
                .On<ReferralReceived>(e => e.EpisodeNumber, (p, e) => p.Apply(e))
                .On<ReferralAccepted>(e => e.EpisodeNumber, (p, e) => p.WithStatus(e.ReferralId, ReferralStatuses.Accepted))
                .On<ReferralDeclined>(e => e.EpisodeNumber, (p, e) => p.WithStatus(e.ReferralId, ReferralStatuses.Declined))
                .On<ReferralWaitlisted>(e => e.EpisodeNumber, (p, e) => p.WithStatus(e.ReferralId, ReferralStatuses.Waitlisted))
                .On<ReferralWithdrawn>(e => e.EpisodeNumber, (p, e) => p.WithStatus(e.ReferralId, ReferralStatuses.Withdrawn))
                .On<ConversationHeld>(e => e.EpisodeNumber, (p, e) => p.Status == ReferralStatuses.Accepted ? p.WithStatus(e.ReferralId, ReferralStatuses.InConversation) : p)
                .On<EpisodeEnded>(e => e.EpisodeNumber, (p, e) => p.WithStatus(e.ReferralId, ReferralStatuses.Ended)))
            .AddExportSection(IdentitySection, async (session, id, ct) => await session.LoadAsync<ParticipantIdentity>(id, ct))
            .OnErasure("referrals: identity deleted", (session, id, _) =>
            {
                session.Delete<ParticipantIdentity>(id);
                return Task.CompletedTask;
            })
            .OnErasure("referrals: referral views rebuilt from the masked journey", RebuildReferralViews);
    }

    /// <summary>
    /// The referral views copy reasons out of the events, so after masking they are rebuilt from the masked stream
    /// with the projection's own Create and Apply methods.
    /// </summary>
    public static async Task RebuildReferralViews(IDocumentSession session, Guid participantId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(participantId, token: ct);
        foreach (var view in Replay(events.Select(e => e.Data))) session.Store(view);
    }

    /// <summary>Pure: the referral views the events make, by the same rules as the inline projection.</summary>
    public static IReadOnlyCollection<ReferralView> Replay(IEnumerable<object> events)
    {
        var views = new Dictionary<Guid, ReferralView>();
        foreach (var data in events)
        {
            if (ReferralOf(data) is not { } referralId) continue;
            if (ReferralViewProjection.Applied(views.GetValueOrDefault(referralId), data) is { } view) views[referralId] = view;
        }

        return views.Values;
    }

    private static Guid? ReferralOf(object data) => data switch
    {
        ReferralReceived e => e.ReferralId,
        ReferralAttachedToOpenEpisode e => e.ReferralId,
        ReferralAccepted e => e.ReferralId,
        ReferralDeclined e => e.ReferralId,
        ReferralWaitlisted e => e.ReferralId,
        ReferralWithdrawn e => e.ReferralId,
        ConversationHeld e => e.ReferralId,
        EpisodeEnded e => e.ReferralId,
        _ => null,
    };
}
