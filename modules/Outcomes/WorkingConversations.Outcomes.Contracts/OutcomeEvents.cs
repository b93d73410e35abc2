namespace WorkingConversations.Outcomes.Contracts;

// Journey events and messages of the Outcomes module. Scores are stored with the answers they came from, so a rule
// change can be re-projected.

public sealed record QuestionnaireRecorded(
    Guid QuestionnaireId, Guid ParticipantId, int EpisodeNumber, string Instrument, string Timepoint,
    int?[] Answers, decimal? Total, decimal? Metric, string? Band, bool? Caseness, bool? RiskIndicated,
    DateTimeOffset AdministeredAt, DateTimeOffset RecordedAt);

public sealed record CircumstancesRecorded(
    Guid CircumstancesId, Guid ParticipantId, int EpisodeNumber, string Timepoint,
    string Housing, string Employment, string Money, bool HasSomeoneToTurnTo, bool TakesPartInCommunity, DateTimeOffset RecordedAt);

/// <summary>A questionnaire indicated risk (PHQ-9 item 9 above 0): Conversations raises a safeguarding concern.</summary>
public sealed record RiskIndicated(Guid ParticipantId, int EpisodeNumber, Guid QuestionnaireId, string Instrument, DateTimeOffset IndicatedAt);
