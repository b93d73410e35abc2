namespace WorkingConversations.Conversations.Contracts;

// Journey events of the Conversations module. Free text (best hopes, signs, exceptions, one point up, next small
// step, what has been better, notes, concern descriptions, ending notes) is protected and masked on erasure.

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
    string? NextSmallStepServiceId = null, string? WhatHasBeenBetter = null, string? LastStepTaken = null, FidelityRating? Fidelity = null);

/// <summary>
/// The practitioner's self-rating of a conversation's fidelity to solution-focused practice, asked at every third
/// conversation held in an episode. Each item is one of <see cref="FidelityItems.Answers"/>.
/// </summary>
public sealed record FidelityRating(string BestHopesAsked, string PreferredFutureDescribed, string ScalingUsed, string ExceptionsExplored, string NextStepParticipantsOwn)
{
    /// <summary>The answers in the order of <see cref="FidelityItems.All"/>.</summary>
    public IReadOnlyList<(string Item, string Answer)> Answers() =>
    [
        (FidelityItems.BestHopesAsked, BestHopesAsked), (FidelityItems.PreferredFutureDescribed, PreferredFutureDescribed), (FidelityItems.ScalingUsed, ScalingUsed),
        (FidelityItems.ExceptionsExplored, ExceptionsExplored), (FidelityItems.NextStepParticipantsOwn, NextStepParticipantsOwn),
    ];
}

/// <summary>The five fidelity items, by the codes the API, supervision records and the analysts' reports share.</summary>
public static class FidelityItems
{
    public const string BestHopesAsked = "best-hopes-asked";
    public const string PreferredFutureDescribed = "preferred-future-described";
    public const string ScalingUsed = "scaling-used";
    public const string ExceptionsExplored = "exceptions-explored";
    public const string NextStepParticipantsOwn = "next-step-participants-own";

    public static readonly string[] All = [BestHopesAsked, PreferredFutureDescribed, ScalingUsed, ExceptionsExplored, NextStepParticipantsOwn];

    public const string Yes = "yes";
    public const string Partly = "partly";
    public const string No = "no";
    public static readonly string[] Answers = [Yes, Partly, No];

    /// <summary>The rating is asked at the 3rd, 6th, 9th... conversation held in an episode.</summary>
    public const int Every = 3;

    public static bool DueAt(int conversationNumber) => conversationNumber > 0 && conversationNumber % Every == 0;
}

/// <summary>What the participant says, at a conversation, of the next small step chosen at the one before.</summary>
public static class LastStepAnswers
{
    public const string Yes = "yes";
    public const string Partly = "partly";
    public const string No = "no";
    public const string NotChosen = "not-chosen";
    public static readonly string[] All = [Yes, Partly, No, NotChosen];
}

public sealed record ConversationMissed(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, string Reason, DateTimeOffset MissedAt);

public sealed record SafeguardingConcernRaised(
    Guid ConcernId, Guid ParticipantId, int EpisodeNumber, string Source, Guid SourceId, string Description, DateTimeOffset RaisedAt);

public sealed record SafeguardingConcernAcknowledged(Guid ConcernId, Guid ParticipantId, int EpisodeNumber, string ActionTaken, DateTimeOffset AcknowledgedAt);

/// <summary>The episode ended; Outcomes classifies it and schedules the follow-ups from this.</summary>
public sealed record EpisodeEnded(Guid ParticipantId, Guid ReferralId, int EpisodeNumber, string Reason, string? Note, int ConversationsHeld, DateTimeOffset EndedAt);
