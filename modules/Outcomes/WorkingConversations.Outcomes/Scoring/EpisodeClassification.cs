namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// What classification needs to know about one episode. First is the earliest score of the instrument in the
/// episode, last the latest (last observation carried forward); null when the instrument was never recorded.
/// <paramref name="Phq9Questionnaires"/> and <paramref name="Gad7Questionnaires"/> count the questionnaires of each
/// in the episode (follow-ups excluded): a first and a last score are a pair only when they come from two of them.
/// Totals are decimals only to match <see cref="QuestionnaireScore.Total"/>; PHQ-9 and GAD-7 totals are whole numbers.
/// </summary>
internal sealed record EpisodeFacts(
    decimal? FirstPhq9,
    decimal? LastPhq9,
    decimal? FirstGad7,
    decimal? LastGad7,
    int AttendedConversations,
    bool Ended,
    int Phq9Questionnaires,
    int Gad7Questionnaires);

/// <summary>
/// The outcome flags of one episode, each exactly as defined in measures.md ("Episode outcomes"). The flags do not
/// depend on each other's denominators: a report counts an outcome among the episodes in its denominator (for
/// example recovery among <see cref="FinishedTreatment"/>, <see cref="Measurable"/> and <see cref="CasenessAtStart"/>).
/// Recovery, reliable improvement, reliable deterioration and reliable recovery are false for an episode that is not
/// <see cref="Measurable"/>: they were not judged.
/// </summary>
internal sealed record EpisodeOutcomeFlags(
    bool FinishedTreatment,
    bool Measurable,
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

        // measures.md ("Paired scores"): the outcomes are judged only with a first and a last score, from two different
        // questionnaires, on both PHQ-9 and GAD-7. So a missing GAD-7 is never read as "below caseness", and one score
        // is never both the start and the end of a change.
        var measurable = PairedScores(episode);

        // Caseness at the start is a fact of the first scores: a score at caseness shows it whatever is missing.
        // Only a measurable episode can show that it was not at caseness, which is why the reports count caseness at
        // the start among measurable episodes only.
        var casenessAtStart = firstPhq9 >= t.Phq9Caseness || firstGad7 >= t.Gad7Caseness;
        var atCasenessAtEnd = lastPhq9 >= t.Phq9Caseness || lastGad7 >= t.Gad7Caseness;
        var recovered = measurable && casenessAtStart && !atCasenessAtEnd;

        // Positive = rose (worse).
        var phq9Change = lastPhq9 - firstPhq9;
        var gad7Change = lastGad7 - firstGad7;
        var anyReliableFall = phq9Change <= -t.Phq9ReliableChange || gad7Change <= -t.Gad7ReliableChange;
        var anyReliableRise = phq9Change >= t.Phq9ReliableChange || gad7Change >= t.Gad7ReliableChange;

        // A reliable fall on one measure with a reliable rise on the other is neither improvement nor deterioration.
        var reliablyImproved = measurable && anyReliableFall && !anyReliableRise;
        var reliablyDeteriorated = measurable && anyReliableRise && !anyReliableFall;

        return new EpisodeOutcomeFlags(
            FinishedTreatment: finished,
            Measurable: measurable,
            CasenessAtStart: casenessAtStart,
            Recovered: recovered,
            ReliablyImproved: reliablyImproved,
            ReliablyDeteriorated: reliablyDeteriorated,
            ReliablyRecovered: recovered && reliablyImproved,
            Phq9Change: phq9Change,
            Gad7Change: gad7Change);
    }

    /// <summary>
    /// measures.md ("Paired scores"): a first and a last score on both PHQ-9 and GAD-7, each pair from two different
    /// questionnaires of the episode.
    /// </summary>
    public static bool PairedScores(EpisodeFacts episode) =>
        episode.FirstPhq9 is not null && episode.LastPhq9 is not null && episode.Phq9Questionnaires >= 2 &&
        episode.FirstGad7 is not null && episode.LastGad7 is not null && episode.Gad7Questionnaires >= 2;

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
