namespace WorkingConversations.Referrals.Contracts;

// Journey events of the Referrals module: the published language other modules and the reporting projections read.
// No personal data: the person's identity lives in the Referrals identity document. Reason, decline reason and
// similar free text are protected and masked on erasure.

/// <summary>A partner referred a person; a new episode of the participant's journey begins.</summary>
public sealed record ReferralReceived(
    Guid ReferralId,
    Guid ParticipantId,
    Guid PartnerId,
    string PartnerReference,
    int EpisodeNumber,
    string Reason,
    string[] RiskIndicators,
    string? PreferredContact,
    int AgeAtReferral,
    DateTimeOffset ReceivedAt);

/// <summary>
/// The same person was referred while an episode was still open: the referral is attached to that episode for a
/// caseworker to look at, instead of opening a second episode.
/// </summary>
public sealed record ReferralAttachedToOpenEpisode(
    Guid ReferralId,
    Guid ParticipantId,
    Guid PartnerId,
    string PartnerReference,
    int EpisodeNumber,
    string Reason,
    DateTimeOffset ReceivedAt,
    string[]? RiskIndicators = null,
    string? PreferredContact = null);

public sealed record ReferralAccepted(Guid ReferralId, Guid ParticipantId, Guid PartnerId, int EpisodeNumber, DateTimeOffset AcceptedAt);

/// <summary>
/// A caseworker declined the referral, pointing the person elsewhere when <paramref name="SignpostedTo"/> is set: free
/// text, or the name of the directory service whose id is <paramref name="SignpostedServiceId"/>.
/// </summary>
public sealed record ReferralDeclined(Guid ReferralId, Guid ParticipantId, Guid PartnerId, int EpisodeNumber, string Reason, string? SignpostedTo,
    DateTimeOffset DeclinedAt, string? SignpostedServiceId = null);

public sealed record ReferralWaitlisted(Guid ReferralId, Guid ParticipantId, Guid PartnerId, int EpisodeNumber, string? Reason, DateTimeOffset WaitlistedAt);

public sealed record ReferralWithdrawn(Guid ReferralId, Guid ParticipantId, Guid PartnerId, int EpisodeNumber, string Reason, DateTimeOffset WithdrawnAt);
