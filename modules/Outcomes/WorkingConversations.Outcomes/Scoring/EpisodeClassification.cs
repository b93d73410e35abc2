namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// Thresholds behind the episode and follow-up outcomes. The defaults are the published values (measures.md); they
/// are settings so that a change of guidance is a configuration change, re-projected from the stored scores.
/// </summary>
public sealed record OutcomeThresholds
{
    public static OutcomeThresholds Default { get; } = new();

    /// <summary>PHQ-9 caseness: total at or above this. Source: NHS Talking Therapies manual.</summary>
    public int Phq9Caseness { get; init; } = Instruments.Phq9CasenessThreshold;

    /// <summary>GAD-7 caseness: total at or above this. Source: NHS Talking Therapies manual.</summary>
    public int Gad7Caseness { get; init; } = Instruments.Gad7CasenessThreshold;

    /// <summary>PHQ-9 reliable change: a change of at least this many points. Source: NHS Talking Therapies manual.</summary>
    public int Phq9ReliableChange { get; init; } = 6;

    /// <summary>GAD-7 reliable change: a change of at least this many points. Source: NHS Talking Therapies manual.</summary>
    public int Gad7ReliableChange { get; init; } = 4;

    /// <summary>
    /// SWEMWBS meaningful individual change in metric points. Shah et al. 2018 give 1 to 3; measures.md takes the
    /// conservative upper end.
    /// </summary>
    public decimal SwemwbsMeaningfulChange { get; init; } = 3m;

    /// <summary>Finished treatment needs at least this many attended conversations (measures.md: 2, as NHS Talking Therapies).</summary>
    public int FinishedTreatmentConversations { get; init; } = 2;
}

/// <summary>
/// What classification needs to know about one episode. First is the earliest score of the instrument in the
/// episode, last the latest (last observation carried forward); null when the instrument was never recorded.
/// Totals are decimals only to match <see cref="QuestionnaireScore.Total"/>; PHQ-9 and GAD-7 totals are whole numbers.
/// </summary>
internal sealed record EpisodeFacts(
    decimal? FirstPhq9,
    decimal? LastPhq9,
    decimal? FirstGad7,
    decimal? LastGad7,
    int AttendedConversations,
    bool Ended);

/// <summary>
/// The outcome flags of one episode, each exactly as defined in measures.md ("Episode outcomes"). The flags do not
/// depend on each other's denominators: a report counts an outcome among the episodes in its denominator (for
/// example recovery among <see cref="FinishedTreatment"/> and <see cref="CasenessAtStart"/>).
/// </summary>
internal sealed record EpisodeOutcomeFlags(
    bool FinishedTreatment,
    bool CasenessAtStart,
    bool Recovered,
    bool ReliablyImproved,
    bool ReliablyDeteriorated,
    bool ReliablyRecovered,
    decimal? Phq9Change,
    decimal? Gad7Change);

/// <summary>SWEMWBS change categories, as the API writes them.</summary>
internal static class WellbeingChange
{
    public const string Improved = "improved";
    public const string Deteriorated = "deteriorated";
    public const string NoMeaningfulChange = "no-meaningful-change";
}

/// <summary>
/// Classifies an episode the way NHS Talking Therapies does, so the service's figures are comparable with the
/// national ones (measures.md, "Episode outcomes, comparable with NHS Talking Therapies").
/// </summary>
internal static class EpisodeClassification
{
    public static EpisodeOutcomeFlags Classify(EpisodeFacts episode, OutcomeThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var t = thresholds ?? OutcomeThresholds.Default;

        // With last observation carried forward, an instrument has either both a first and a last score or neither;
        // if a caller has only one of the pair, it is the only score and so both first and last.
        var firstPhq9 = episode.FirstPhq9 ?? episode.LastPhq9;
        var lastPhq9 = episode.LastPhq9 ?? episode.FirstPhq9;
        var firstGad7 = episode.FirstGad7 ?? episode.LastGad7;
        var lastGad7 = episode.LastGad7 ?? episode.FirstGad7;

        var finished = episode.Ended && episode.AttendedConversations >= t.FinishedTreatmentConversations;

        // An instrument never recorded in the episode cannot put the person at caseness, at the start or the end.
        // So a person assessed on PHQ-9 alone recovers on PHQ-9 alone; a person with no PHQ-9 and no GAD-7 is not
        // at caseness and cannot recover.
        var casenessAtStart = firstPhq9 >= t.Phq9Caseness || firstGad7 >= t.Gad7Caseness;
        var atCasenessAtEnd = lastPhq9 >= t.Phq9Caseness || lastGad7 >= t.Gad7Caseness;
        var recovered = casenessAtStart && !atCasenessAtEnd;

        // Positive = rose (worse). An instrument without scores has no change and neither triggers nor vetoes.
        var phq9Change = lastPhq9 - firstPhq9;
        var gad7Change = lastGad7 - firstGad7;
        var anyReliableFall = phq9Change <= -t.Phq9ReliableChange || gad7Change <= -t.Gad7ReliableChange;
        var anyReliableRise = phq9Change >= t.Phq9ReliableChange || gad7Change >= t.Gad7ReliableChange;

        // A reliable fall on one measure with a reliable rise on the other is neither improvement nor deterioration.
        var reliablyImproved = anyReliableFall && !anyReliableRise;
        var reliablyDeteriorated = anyReliableRise && !anyReliableFall;

        return new EpisodeOutcomeFlags(
            FinishedTreatment: finished,
            CasenessAtStart: casenessAtStart,
            Recovered: recovered,
            ReliablyImproved: reliablyImproved,
            ReliablyDeteriorated: reliablyDeteriorated,
            ReliablyRecovered: recovered && reliablyImproved,
            Phq9Change: phq9Change,
            Gad7Change: gad7Change);
    }

    /// <summary>
    /// SWEMWBS meaningful change between two metric scores (measures.md: a change of 3 or more, a setting).
    /// Null when either score is missing, since no change can be claimed without both.
    /// </summary>
    public static string? ClassifyWellbeingChange(decimal? firstMetric, decimal? lastMetric, OutcomeThresholds? thresholds = null)
    {
        if (firstMetric is null || lastMetric is null) return null;
        var threshold = (thresholds ?? OutcomeThresholds.Default).SwemwbsMeaningfulChange;
        var change = lastMetric.Value - firstMetric.Value;
        return change >= threshold ? WellbeingChange.Improved
            : change <= -threshold ? WellbeingChange.Deteriorated
            : WellbeingChange.NoMeaningfulChange;
    }
}
