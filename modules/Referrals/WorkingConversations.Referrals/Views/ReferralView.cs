using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using WorkingConversations.BuildingBlocks.Operations.Projections;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Referrals.Callbacks;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Views;

public sealed record StatusChange(string Status, DateTimeOffset At, string? Reason, string? SignpostedTo = null);

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
    public ReferralView With(string status, DateTimeOffset at, string? reason = null, string? signpostedTo = null) =>
        this with { Status = status, UpdatedAt = at, StatusHistory = [.. StatusHistory, new StatusChange(status, at, reason, signpostedTo)] };
}

public partial class ReferralViewProjection : MultiStreamProjection<ReferralView, Guid>, IFoldsWithinOneStream, IQuietWhileRebuilt
{
    private readonly PartnerCallbackDirectory _callbacks;

    public ReferralViewProjection(PartnerCallbackDirectory callbacks)
    {
        _callbacks = callbacks;
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
            e.ReceivedAt, e.ReceivedAt, true, e.RiskIndicators ?? [], [new StatusChange(ReferralStatuses.Received, e.ReceivedAt, null)]);

    public ReferralView Apply(ReferralAccepted e, ReferralView view) => view.With(ReferralStatuses.Accepted, e.AcceptedAt);

    public ReferralView Apply(ReferralDeclined e, ReferralView view) => view.With(ReferralStatuses.Declined, e.DeclinedAt, e.Reason, e.SignpostedTo);

    public ReferralView Apply(ReferralWaitlisted e, ReferralView view) => view.With(ReferralStatuses.Waitlisted, e.WaitlistedAt, e.Reason);

    public ReferralView Apply(ReferralWithdrawn e, ReferralView view) => view.With(ReferralStatuses.Withdrawn, e.WithdrawnAt, e.Reason);

    public ReferralView Apply(ConversationHeld e, ReferralView view) =>
        view.Status == ReferralStatuses.Accepted ? view.With(ReferralStatuses.InConversation, e.HeldAt) : view;

    public ReferralView Apply(EpisodeEnded e, ReferralView view) => view.With(ReferralStatuses.Ended, e.EndedAt, e.Reason);

    /// <summary>
    /// Every status change of a partner with a callback URL becomes a <see cref="ReferralStatusChanged"/> message,
    /// whichever module's event caused it, in the transaction that appended the event (inline side effects through the
    /// Wolverine outbox), so a callback is neither lost nor sent for a change that did not commit. A partner without a
    /// callback URL has nowhere to be told, so its changes cost no durable message. A rebuild tells nobody anything: each
    /// change was told when it happened.
    /// </summary>
    public override async ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<ReferralView> slice)
    {
        if (slice.Snapshot is not { } view || StreamByStreamRebuild.IsRebuilding(operations)) return;
        var changes = slice.Events().Select(e => StatusChangeOf(e.Data, view)).OfType<(string Status, DateTimeOffset At)>().ToArray();
        if (changes.Length == 0 || !await _callbacks.HasCallbackAsync(operations, view.PartnerId, CancellationToken.None)) return;
        foreach (var change in changes)
        {
            slice.PublishMessage(new ReferralStatusChanged(view.Id, view.ParticipantId, view.PartnerId, view.PartnerReference,
                change.Status, change.At, Guid.CreateVersion7()));
        }
    }

    private static readonly ReferralViewProjection Pure = new(new PartnerCallbackDirectory());

    /// <summary>
    /// Pure: the view after one event, by the projection's own rules: what the caller of a change is answered with, and
    /// how erasure rebuilds the views from the masked journey.
    /// </summary>
    public static ReferralView? Applied(ReferralView? view, object data) => (data, view) switch
    {
        (ReferralReceived e, _) => Pure.Create(e),
        (ReferralAttachedToOpenEpisode e, _) => Pure.Create(e),
        (ReferralAccepted e, { } v) => Pure.Apply(e, v),
        (ReferralDeclined e, { } v) => Pure.Apply(e, v),
        (ReferralWaitlisted e, { } v) => Pure.Apply(e, v),
        (ReferralWithdrawn e, { } v) => Pure.Apply(e, v),
        (ConversationHeld e, { } v) => Pure.Apply(e, v),
        (EpisodeEnded e, { } v) => Pure.Apply(e, v),
        _ => view,
    };

    /// <summary>Pure: the status an event moved the referral to, or null when it moved nothing.</summary>
    public static (string Status, DateTimeOffset At)? StatusChangeOf(object data, ReferralView view) => data switch
    {
        ReferralReceived e => (ReferralStatuses.Received, e.ReceivedAt),
        ReferralAttachedToOpenEpisode e => (ReferralStatuses.Received, e.ReceivedAt),
        ReferralAccepted e => (ReferralStatuses.Accepted, e.AcceptedAt),
        ReferralDeclined e => (ReferralStatuses.Declined, e.DeclinedAt),
        ReferralWaitlisted e => (ReferralStatuses.Waitlisted, e.WaitlistedAt),
        ReferralWithdrawn e => (ReferralStatuses.Withdrawn, e.WithdrawnAt),
        // Only the conversation that moved an accepted referral on is a change; later ones are not.
        ConversationHeld e when view.StatusHistory.Any(s => s.Status == ReferralStatuses.InConversation && s.At == e.HeldAt) =>
            (ReferralStatuses.InConversation, e.HeldAt),
        EpisodeEnded e => (ReferralStatuses.Ended, e.EndedAt),
        _ => null,
    };
}
