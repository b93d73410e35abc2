using System.Collections.Immutable;
using Marten;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Outcomes.Contracts;

namespace WorkingConversations.Outcomes.JourneyParts;

/// <summary>Outcomes' piece of each episode in the journey state (api.md): the latest score of each instrument.</summary>
internal sealed record OutcomesEpisodePart(ImmutableSortedDictionary<string, decimal> LatestScores)
{
    public static OutcomesEpisodePart Empty(int episode) => new(ImmutableSortedDictionary.Create<string, decimal>(StringComparer.Ordinal));

    /// <summary>The total, or SWEMWBS's metric score; ONS4 has neither, so it shows no single score.</summary>
    public OutcomesEpisodePart Apply(QuestionnaireRecorded e) =>
        (e.Total ?? e.Metric) is { } score ? this with { LatestScores = LatestScores.SetItem(e.Instrument, score) } : this;
}

/// <summary>What Outcomes contributes to the participant journey beyond its events: state and the questionnaires in an export.</summary>
internal static class OutcomesJourneyParts
{
    public const string QuestionnairesSection = "questionnaires";

    public static void Describe(JourneyCatalog catalog)
    {
        var questionnaireRecorded = catalog.For(typeof(QuestionnaireRecorded))?.WireName ?? "questionnaire-recorded";
        catalog
            .AddStatePart(new JourneyStatePart<OutcomesEpisodePart>(OutcomesModule.ModuleName, OutcomesEpisodePart.Empty)
                .On<QuestionnaireRecorded>(e => e.EpisodeNumber, (p, e) => p.Apply(e)))
            // Questionnaires are events of the journey; the export also lists them on their own, answers and scores.
            .AddExportSection(QuestionnairesSection, async (session, id, ct) =>
                (await session.Events.QueryAllRawEvents()
                    .Where(e => e.StreamId == id && e.EventTypeName == questionnaireRecorded)
                    .OrderBy(e => e.Version)
                    .ToListAsync(ct))
                .Select(e => e.Data).ToList());
    }
}
