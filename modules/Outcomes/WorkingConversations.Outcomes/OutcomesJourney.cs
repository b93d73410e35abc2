using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes;

/// <summary>
/// The Outcomes module's write model of a journey, folded from the published events of every module: which episode a
/// questionnaire belongs to, and the follow-up check-ins of the latest episode (so a redelivered message never
/// schedules or marks one twice). Who may record for the participant is the journey's one access rule (JourneyAccess).
/// </summary>
internal sealed record OutcomesJourney(Guid Id, int? CurrentEpisode, bool EpisodeEnded, int Questionnaires)
{
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Episode whose follow-ups are scheduled; null until the current episode's are.</summary>
    public int? FollowUpsScheduledFor { get; init; }

    /// <summary>Check-ins that came due, as (episode, months), for every episode: a later episode does not cancel an earlier one's.</summary>
    public IReadOnlyList<(int Episode, int Months)> DueCheckIns { get; init; } = [];

    public IReadOnlyList<(int Episode, int Months)> MissedCheckIns { get; init; } = [];

    /// <summary>
    /// When each follow-up was recorded, by episode: questionnaires of any instrument and circumstances, since either
    /// keeps a check-in (measures.md, "Follow-up done").
    /// </summary>
    public IReadOnlyList<(int Episode, DateTimeOffset At)> FollowUpDates { get; init; } = [];

    /// <summary>When each episode ended.</summary>
    public IReadOnlyDictionary<int, DateTimeOffset> Ends { get; init; } = new Dictionary<int, DateTimeOffset>();

    public static OutcomesJourney Create(ReferralReceived e) => new(e.ParticipantId, null, false, 0);

    public OutcomesJourney Apply(ReferralAccepted e) => this with
    {
        CurrentEpisode = e.EpisodeNumber, EpisodeEnded = false, EndedAt = null, FollowUpsScheduledFor = null,
    };

    public OutcomesJourney Apply(EpisodeEnded e) => e.EpisodeNumber == CurrentEpisode
        ? this with { EpisodeEnded = true, EndedAt = e.EndedAt, Ends = new Dictionary<int, DateTimeOffset>(Ends) { [e.EpisodeNumber] = e.EndedAt } }
        : this;

    public OutcomesJourney Apply(QuestionnaireRecorded e) => this with
    {
        Questionnaires = Questionnaires + 1,
        FollowUpDates = e.Timepoint == Timepoints.FollowUp ? [.. FollowUpDates, (e.EpisodeNumber, e.AdministeredAt)] : FollowUpDates,
    };

    public OutcomesJourney Apply(CircumstancesRecorded e) => e.Timepoint == Timepoints.FollowUp
        ? this with { FollowUpDates = [.. FollowUpDates, (e.EpisodeNumber, e.RecordedAt)] }
        : this;

    public OutcomesJourney Apply(FollowUpsScheduled e) => e.EpisodeNumber == CurrentEpisode ? this with { FollowUpsScheduledFor = e.EpisodeNumber } : this;

    public OutcomesJourney Apply(FollowUpCheckInDue e) => this with { DueCheckIns = [.. DueCheckIns, (e.EpisodeNumber, e.Months)] };

    public OutcomesJourney Apply(FollowUpCheckInMissed e) => this with { MissedCheckIns = [.. MissedCheckIns, (e.EpisodeNumber, e.Months)] };
}
