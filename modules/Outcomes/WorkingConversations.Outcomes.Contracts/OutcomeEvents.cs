namespace WorkingConversations.Outcomes.Contracts;

// Journey events and messages of the Outcomes module. Scores are stored with the answers they came from, so a rule
// change can be re-projected.

/// <summary>
/// A questionnaire, its answers and the scores they gave under the thresholds of the day. <paramref name="Lonely"/> and
/// <paramref name="DirectLoneliness"/> (the answer to "How often do you feel lonely?") are UCLA-3's; events recorded
/// before they existed read them as null.
/// </summary>
public sealed record QuestionnaireRecorded(
    Guid QuestionnaireId, Guid ParticipantId, int EpisodeNumber, string Instrument, string Timepoint,
    int?[] Answers, decimal? Total, decimal? Metric, string? Band, bool? Caseness, bool? RiskIndicated,
    DateTimeOffset AdministeredAt, DateTimeOffset RecordedAt, bool? Lonely = null, string? DirectLoneliness = null);

public sealed record CircumstancesRecorded(
    Guid CircumstancesId, Guid ParticipantId, int EpisodeNumber, string Timepoint,
    string Housing, string Employment, string Money, bool HasSomeoneToTurnTo, bool TakesPartInCommunity, DateTimeOffset RecordedAt,
    string? ConnectedWithSignpostedService = null);

/// <summary>A questionnaire indicated risk (PHQ-9 item 9 above 0): Conversations raises a safeguarding concern.</summary>
public sealed record RiskIndicated(Guid ParticipantId, int EpisodeNumber, Guid QuestionnaireId, string Instrument, DateTimeOffset IndicatedAt);

/// <summary>
/// Follow-up check-ins were scheduled for an ended episode, due on each date in <paramref name="DueOn"/> (the months
/// after the end in <paramref name="Months"/>, same order). Recorded so that a redelivered end never schedules twice
/// and so that the reports know the due dates from the journey alone.
/// </summary>
public sealed record FollowUpsScheduled(Guid ParticipantId, int EpisodeNumber, int[] Months, DateTimeOffset[] DueOn, DateTimeOffset EpisodeEndedAt, DateTimeOffset ScheduledAt);

/// <summary>A scheduled follow-up check-in came due: the participant should be contacted and the questionnaires repeated.</summary>
public sealed record FollowUpCheckInDue(Guid ParticipantId, int EpisodeNumber, int Months, DateTimeOffset DueOn, DateTimeOffset BecameDueAt);

/// <summary>A due check-in was not recorded within the grace days of its due date (measures.md: 14).</summary>
public sealed record FollowUpCheckInMissed(Guid ParticipantId, int EpisodeNumber, int Months, DateTimeOffset DueOn, DateTimeOffset MissedAt);
