using JasperFx.Events;
using Marten.Events.Projections;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes.Projections;

/// <summary>One row per episode for the analysts' reports: built only from the published journey events.</summary>
public sealed record EpisodeOutcome(
    string Id, Guid ParticipantId, int EpisodeNumber, Guid PartnerId, DateTimeOffset ReceivedAt, DateTimeOffset? AcceptedAt,
    int ConversationsHeld, int Questionnaires, decimal? FirstPhq9, decimal? LastPhq9, decimal? FirstGad7, decimal? LastGad7, DateTimeOffset? EndedAt)
{
    public static string KeyOf(Guid participantId, int episode) => $"{participantId:N}:{episode}";
}

public partial class EpisodeOutcomeProjection : MultiStreamProjection<EpisodeOutcome, string>
{
    public EpisodeOutcomeProjection()
    {
        Identity<ReferralReceived>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ReferralAccepted>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ConversationHeld>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<QuestionnaireRecorded>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<EpisodeEnded>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
    }

    public EpisodeOutcome Create(ReferralReceived e) =>
        new(EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber), e.ParticipantId, e.EpisodeNumber, e.PartnerId, e.ReceivedAt, null, 0, 0, null, null, null, null, null);

    public EpisodeOutcome Apply(ReferralAccepted e, EpisodeOutcome o) => o with { AcceptedAt = e.AcceptedAt };

    public EpisodeOutcome Apply(ConversationHeld e, EpisodeOutcome o) => o with { ConversationsHeld = o.ConversationsHeld + 1 };

    public EpisodeOutcome Apply(QuestionnaireRecorded e, EpisodeOutcome o) => e.Instrument switch
    {
        Instruments.Phq9 => o with { Questionnaires = o.Questionnaires + 1, FirstPhq9 = o.FirstPhq9 ?? e.Total, LastPhq9 = e.Total },
        Instruments.Gad7 => o with { Questionnaires = o.Questionnaires + 1, FirstGad7 = o.FirstGad7 ?? e.Total, LastGad7 = e.Total },
        _ => o with { Questionnaires = o.Questionnaires + 1 },
    };

    public EpisodeOutcome Apply(EpisodeEnded e, EpisodeOutcome o) => o with { EndedAt = e.EndedAt };
}
