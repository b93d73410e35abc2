using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes;

/// <summary>
/// The Outcomes module's write model of a journey, folded from the published events of every module: which episode a
/// questionnaire belongs to, and who holds the participant (so a practitioner only records for their own).
/// </summary>
public sealed record OutcomesJourney(Guid Id, int? CurrentEpisode, bool EpisodeEnded, Guid? PractitionerId, int Questionnaires)
{
    public static OutcomesJourney Create(ReferralReceived e) => new(e.ParticipantId, null, false, null, 0);

    public OutcomesJourney Apply(ReferralAccepted e) => this with { CurrentEpisode = e.EpisodeNumber, EpisodeEnded = false, PractitionerId = null };

    public OutcomesJourney Apply(PractitionerAssigned e) => e.EpisodeNumber == CurrentEpisode ? this with { PractitionerId = e.PractitionerId } : this;

    public OutcomesJourney Apply(EpisodeEnded e) => e.EpisodeNumber == CurrentEpisode ? this with { EpisodeEnded = true } : this;

    public OutcomesJourney Apply(QuestionnaireRecorded e) => this with { Questionnaires = Questionnaires + 1 };
}
