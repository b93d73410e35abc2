using JasperFx.Events;
using Marten.Events.Projections;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Views;

public sealed record StatusChange(string Status, DateTimeOffset At, string? Reason);

/// <summary>What partners and caseworkers read about a referral; kept in step with the journey in the same transaction.</summary>
public sealed record ReferralView(
    Guid Id,
    Guid ParticipantId,
    Guid PartnerId,
    string PartnerReference,
    int EpisodeNumber,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt,
    bool AttachedToOpenEpisode,
    string[] RiskIndicators,
    StatusChange[] StatusHistory)
{
    public ReferralView With(string status, DateTimeOffset at, string? reason = null) =>
        this with { Status = status, UpdatedAt = at, StatusHistory = [.. StatusHistory, new StatusChange(status, at, reason)] };
}

public partial class ReferralViewProjection : MultiStreamProjection<ReferralView, Guid>
{
    public ReferralViewProjection()
    {
        Identity<ReferralReceived>(e => e.ReferralId);
        Identity<ReferralAttachedToOpenEpisode>(e => e.ReferralId);
        Identity<ReferralAccepted>(e => e.ReferralId);
        Identity<ReferralDeclined>(e => e.ReferralId);
        Identity<ReferralWaitlisted>(e => e.ReferralId);
        Identity<ReferralWithdrawn>(e => e.ReferralId);
        Identity<ConversationHeld>(e => e.ReferralId);
        Identity<EpisodeEnded>(e => e.ReferralId);
    }

    public ReferralView Create(ReferralReceived e) =>
        new(e.ReferralId, e.ParticipantId, e.PartnerId, e.PartnerReference, e.EpisodeNumber, ReferralStatuses.Received,
            e.ReceivedAt, e.ReceivedAt, false, e.RiskIndicators, [new StatusChange(ReferralStatuses.Received, e.ReceivedAt, null)]);

    public ReferralView Create(ReferralAttachedToOpenEpisode e) =>
        new(e.ReferralId, e.ParticipantId, e.PartnerId, e.PartnerReference, e.EpisodeNumber, ReferralStatuses.Received,
            e.ReceivedAt, e.ReceivedAt, true, [], [new StatusChange(ReferralStatuses.Received, e.ReceivedAt, null)]);

    public ReferralView Apply(ReferralAccepted e, ReferralView view) => view.With(ReferralStatuses.Accepted, e.AcceptedAt);

    public ReferralView Apply(ReferralDeclined e, ReferralView view) => view.With(ReferralStatuses.Declined, e.DeclinedAt, e.Reason);

    public ReferralView Apply(ReferralWaitlisted e, ReferralView view) => view.With(ReferralStatuses.Waitlisted, e.WaitlistedAt, e.Reason);

    public ReferralView Apply(ReferralWithdrawn e, ReferralView view) => view.With(ReferralStatuses.Withdrawn, e.WithdrawnAt, e.Reason);

    public ReferralView Apply(ConversationHeld e, ReferralView view) =>
        view.Status == ReferralStatuses.Accepted ? view.With(ReferralStatuses.InConversation, e.HeldAt) : view;

    public ReferralView Apply(EpisodeEnded e, ReferralView view) => view.With(ReferralStatuses.Ended, e.EndedAt, e.Reason);
}
