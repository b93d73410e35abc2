namespace WorkingConversations.Conversations.Contracts;

// Journey events of the Conversations module. Free text (best hopes, signs, exceptions, one point up, next small
// step, notes, concern descriptions, ending notes) is protected and masked on erasure.

/// <summary>Conversations opened the episode after the referral was accepted.</summary>
public sealed record EpisodeOpened(Guid ParticipantId, Guid ReferralId, int EpisodeNumber, DateTimeOffset OpenedAt);

/// <summary>
/// A practitioner took on the participant's episode. <paramref name="PractitionerCertifiedAt"/>: when VolunteerTraining first
/// cleared them to practise (their training cohort); null on events from before it was carried.
/// </summary>
public sealed record PractitionerAssigned(Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, string Programme, Guid? PreviousPractitionerId, DateTimeOffset AssignedAt,
    DateTimeOffset? PractitionerCertifiedAt = null);

public sealed record ConversationScheduled(
    Guid ConversationId, Guid ParticipantId, int EpisodeNumber, Guid PractitionerId,
    DateTimeOffset ScheduledFor, string Mode, string? Location, DateTimeOffset ScheduledAt);

public sealed record ConversationHeld(
    Guid ConversationId, Guid ParticipantId, Guid ReferralId, int EpisodeNumber, Guid PractitionerId,
    string BestHopes, string[] PreferredFutureSigns, int Scale, string Exceptions, string OnePointUp,
    string? NextSmallStep, string? Notes, bool RiskDisclosed, int DurationMinutes, DateTimeOffset HeldAt,
    string? NextSmallStepServiceId = null);

public sealed record ConversationMissed(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, string Reason, DateTimeOffset MissedAt);

public sealed record SafeguardingConcernRaised(
    Guid ConcernId, Guid ParticipantId, int EpisodeNumber, string Source, Guid SourceId, string Description, DateTimeOffset RaisedAt);

public sealed record SafeguardingConcernAcknowledged(Guid ConcernId, Guid ParticipantId, int EpisodeNumber, string ActionTaken, DateTimeOffset AcknowledgedAt);

/// <summary>The episode ended; Outcomes classifies it and schedules the follow-ups from this.</summary>
public sealed record EpisodeEnded(Guid ParticipantId, Guid ReferralId, int EpisodeNumber, string Reason, string? Note, int ConversationsHeld, DateTimeOffset EndedAt);
