using Marten;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;

namespace WorkingConversations.Conversations.Safeguarding;

internal static class RaiseConcernFromRisk
{
    /// <summary>Pure: one concern per questionnaire, however often the message arrives.</summary>
    public static SafeguardingConcernRaised? Decide(ConversationsJourney? journey, RiskIndicated risk, Guid concernId)
    {
        if (journey?.HasConcernFrom(risk.QuestionnaireId) == true) return null;
        return new SafeguardingConcernRaised(concernId, risk.ParticipantId, risk.EpisodeNumber, ConcernSources.Questionnaire, risk.QuestionnaireId,
            Description(risk), risk.IndicatedAt);
    }

    public static string Description(RiskIndicated risk) =>
        risk.Instrument == "PHQ-9"
            ? "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above 0."
            : $"A {risk.Instrument} questionnaire indicated risk.";
}

/// <summary>
/// Outcomes' risk message becomes a concern on the journey. The message comes through the durable outbox and a durable
/// local queue, so a crash between the questionnaire and this handler delays the concern but never loses it.
/// </summary>
public static class RiskIndicatedHandler
{
    // Optimistic concurrency on the stream: a delivery that races another write to the journey is run again by Wolverine
    // with a fresh session, and a redelivery finds the concern already raised.
    public static Task Handle(RiskIndicated risk, IDocumentSession session) =>
        session.DecideAsync<ConversationsJourney>(risk.ParticipantId, journey =>
            RaiseConcernFromRisk.Decide(journey, risk, Guid.CreateVersion7()) is { } raised ? Decision.Append(raised) : Decision.Nothing);
}
