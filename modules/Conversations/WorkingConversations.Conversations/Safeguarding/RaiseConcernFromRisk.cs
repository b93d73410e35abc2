using Marten;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;

namespace WorkingConversations.Conversations.Safeguarding;

public static class RaiseConcernFromRisk
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
    public static async Task Handle(RiskIndicated risk, IDocumentSession session)
    {
        // Optimistic concurrency on the stream: two deliveries racing each other cannot both append, and the retried
        // one finds the concern already raised.
        var stream = await session.Events.FetchForWriting<ConversationsJourney>(risk.ParticipantId);
        if (RaiseConcernFromRisk.Decide(stream.Aggregate, risk, Guid.CreateVersion7()) is { } raised) stream.AppendOne(raised);
    }
}
