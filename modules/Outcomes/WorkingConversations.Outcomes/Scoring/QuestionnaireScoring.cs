using System.Diagnostics.CodeAnalysis;

namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// Scores one questionnaire from its answers, following measures.md ("Instruments"). Pure: the same answers always
/// give the same score, so a rule change can be re-projected from the stored answers.
/// </summary>
internal static class QuestionnaireScoring
{
    /// <summary>
    /// SWEMWBS raw total (7 to 35) to metric score, in raw order. Source: Warwick Medical School conversion table,
    /// as copied into measures.md. The metric, not the raw total, is what is reported and compared.
    /// </summary>
    public static IReadOnlyList<decimal> SwemwbsMetricTable { get; } =
    [
        7.00m, 9.51m, 11.25m, 12.40m, 13.33m, 14.08m, 14.75m, 15.32m, 15.84m, 16.36m, 16.88m, 17.43m, 17.98m, 18.59m,
        19.25m, 19.98m, 20.73m, 21.54m, 22.35m, 23.21m, 24.11m, 25.03m, 26.02m, 27.03m, 28.13m, 29.31m, 30.70m, 32.55m, 35.00m,
    ];

    public const int SwemwbsMinRaw = Instruments.SwemwbsItems * Instruments.SwemwbsMinAnswer;
    public const int SwemwbsMaxRaw = Instruments.SwemwbsItems * Instruments.SwemwbsMaxAnswer;

    /// <summary>
    /// Validates the answers and scores them. Errors are keyed by field path: <c>instrument</c> for an unknown
    /// instrument, <c>answers</c> for a wrong number of answers, <c>answers[i]</c> (0-based) for a missing or
    /// out-of-range answer; every failing item is reported at once. Caseness, bands and the lonely flag follow
    /// <paramref name="thresholds"/>: the host's one instance, so the response agrees with the episode outcome.
    /// </summary>
    public static ScoreOutcome Score(string instrument, IReadOnlyList<int?> answers, OutcomeThresholds? thresholds = null)
    {
        var t = thresholds ?? OutcomeThresholds.Default;
        if (instrument is null || !Instruments.Shapes.TryGetValue(instrument, out var shape))
        {
            return ScoreOutcome.Invalid("instrument", "must be one of " + string.Join(", ", Instruments.All) + ".");
        }

        if (answers is null)
        {
            return ScoreOutcome.Invalid("answers", FormattableString.Invariant(
                $"is required: {shape.Items} answers for {shape.Name}, each a whole number from {shape.MinAnswer} to {shape.MaxAnswer}."));
        }

        // A wrong count means the items cannot be matched to questions, so per-item errors would mislead.
        if (answers.Count != shape.Items)
        {
            return ScoreOutcome.Invalid("answers", FormattableString.Invariant(
                $"must have exactly {shape.Items} answers for {shape.Name} (it has {answers.Count}), each a whole number from {shape.MinAnswer} to {shape.MaxAnswer}."));
        }

        var missing = Enumerable.Range(0, answers.Count).Where(i => answers[i] is null).ToList();

        // Only WSAS tolerates a gap (NHS Data Dictionary: one missing item, or a not-applicable work item, is
        // prorated); measures.md says every other questionnaire with a missing answer is rejected.
        var tolerated = shape.Name == Instruments.Wsas ? 1 : 0;
        var missingMessage = shape.Name == Instruments.Wsas
            ? FormattableString.Invariant(
                $"is missing: WSAS allows at most one missing item (a not-applicable work item counts as missing), and {string.Join(" and ", missing.Select(ItemPath))} are missing. Give a whole number from {shape.MinAnswer} to {shape.MaxAnswer}.")
            : FormattableString.Invariant($"is required: a whole number from {shape.MinAnswer} to {shape.MaxAnswer}.");

        // Checked in item order so the problem response lists the items as the questionnaire does.
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < answers.Count; i++)
        {
            var answer = answers[i];
            if (answer is null)
            {
                if (missing.Count > tolerated) errors[ItemPath(i)] = [missingMessage];
            }
            else if (answer < shape.MinAnswer || answer > shape.MaxAnswer)
            {
                errors[ItemPath(i)] = [FormattableString.Invariant(
                    $"must be a whole number from {shape.MinAnswer} to {shape.MaxAnswer} (it is {answer.Value}).")];
            }
        }

        if (errors.Count > 0) return ScoreOutcome.Invalid(errors);

        var score = shape.Name switch
        {
            Instruments.Phq9 => ScorePhq9(answers, t),
            Instruments.Gad7 => ScoreGad7(answers, t),
            Instruments.Swemwbs => ScoreSwemwbs(answers),
            Instruments.Ons4 => ScoreOns4(answers, t),
            Instruments.Ucla3 => ScoreUcla3(answers, t),
            Instruments.Wsas => ScoreWsas(answers, missing, t),
            _ => throw new InvalidOperationException("Every instrument in Instruments.Shapes needs a scoring rule."),
        };
        return ScoreOutcome.Valid(score);
    }

    /// <summary>PHQ-9 severity band (defaults: NHS Talking Therapies manual, 0-4, 5-9, 10-14, 15-19, 20-27).</summary>
    public static string Phq9Band(int total, OutcomeThresholds? thresholds = null) =>
        total is < Instruments.Phq9MinTotal or > Instruments.Phq9MaxTotal
            ? throw new ArgumentOutOfRangeException(nameof(total), total, "A PHQ-9 total is from 0 to 27.")
            : OutcomeThresholds.BandOf(total, (thresholds ?? OutcomeThresholds.Default).Phq9BandsFrom, Phq9Bands);

    /// <summary>GAD-7 severity band (defaults: NHS Talking Therapies manual, 0-4, 5-9, 10-14, 15-21).</summary>
    public static string Gad7Band(int total, OutcomeThresholds? thresholds = null) =>
        total is < Instruments.Gad7MinTotal or > Instruments.Gad7MaxTotal
            ? throw new ArgumentOutOfRangeException(nameof(total), total, "A GAD-7 total is from 0 to 21.")
            : OutcomeThresholds.BandOf(total, (thresholds ?? OutcomeThresholds.Default).Gad7BandsFrom, Gad7Bands);

    /// <summary>
    /// ONS4 band for life satisfaction, worthwhile and happy (defaults: GSS harmonised standard, 0-4 low, 5-6 medium,
    /// 7-8 high, 9-10 very high).
    /// </summary>
    public static string Ons4PositiveBand(int answer, OutcomeThresholds? thresholds = null) =>
        answer is < Instruments.Ons4MinAnswer or > Instruments.Ons4MaxAnswer
            ? throw new ArgumentOutOfRangeException(nameof(answer), answer, "An ONS4 answer is from 0 to 10.")
            : OutcomeThresholds.BandOf(answer, (thresholds ?? OutcomeThresholds.Default).Ons4PositiveBandsFrom, Ons4PositiveBands);

    /// <summary>
    /// ONS4 band for anxiety, whose sense is reversed (higher is worse; defaults: GSS harmonised standard, 0-1 very
    /// low, 2-3 low, 4-5 medium, 6-10 high).
    /// </summary>
    public static string Ons4AnxietyBand(int answer, OutcomeThresholds? thresholds = null) =>
        answer is < Instruments.Ons4MinAnswer or > Instruments.Ons4MaxAnswer
            ? throw new ArgumentOutOfRangeException(nameof(answer), answer, "An ONS4 answer is from 0 to 10.")
            : OutcomeThresholds.BandOf(answer, (thresholds ?? OutcomeThresholds.Default).Ons4AnxietyBandsFrom, Ons4AnxietyBands);

    /// <summary>
    /// WSAS impairment band (defaults: Mundt et al. 2002, below 10 subclinical, 10 to 20 significant, above 20
    /// moderately severe or worse). The total may be fractional after prorating, so the bounds are compared as
    /// published ("&lt; 10", "&gt; 20") rather than as whole-number ranges: 9.75 is subclinical, 20.25 is above 20.
    /// </summary>
    public static string WsasBand(decimal total, OutcomeThresholds? thresholds = null)
    {
        if (total is < 0m or > Instruments.WsasMaxTotal) throw new ArgumentOutOfRangeException(nameof(total), total, "A WSAS total is from 0 to 40.");
        var t = thresholds ?? OutcomeThresholds.Default;
        return total < t.WsasSignificantFrom ? ScoreBands.Subclinical
            : total <= t.WsasSevereAbove ? ScoreBands.Significant
            : ScoreBands.ModeratelySevereOrWorse;
    }

    private static readonly string[] Phq9Bands = [ScoreBands.Minimal, ScoreBands.Mild, ScoreBands.Moderate, ScoreBands.ModeratelySevere, ScoreBands.Severe];
    private static readonly string[] Gad7Bands = [ScoreBands.Minimal, ScoreBands.Mild, ScoreBands.Moderate, ScoreBands.Severe];
    private static readonly string[] Ons4PositiveBands = [ScoreBands.Low, ScoreBands.Medium, ScoreBands.High, ScoreBands.VeryHigh];
    private static readonly string[] Ons4AnxietyBands = [ScoreBands.VeryLow, ScoreBands.Low, ScoreBands.Medium, ScoreBands.High];

    /// <summary>SWEMWBS raw total to metric score (Warwick Medical School table).</summary>
    public static decimal SwemwbsMetric(int rawTotal) =>
        rawTotal is < SwemwbsMinRaw or > SwemwbsMaxRaw
            ? throw new ArgumentOutOfRangeException(nameof(rawTotal), rawTotal, "A SWEMWBS raw total is from 7 to 35.")
            : SwemwbsMetricTable[rawTotal - SwemwbsMinRaw];

    private static QuestionnaireScore ScorePhq9(IReadOnlyList<int?> answers, OutcomeThresholds t)
    {
        var total = Sum(answers);
        return new QuestionnaireScore(Instruments.Phq9)
        {
            Total = total,
            Band = Phq9Band(total, t),
            Caseness = total >= t.Phq9Caseness,
            // measures.md ("Safeguarding"): any answer above 0 to item 9 raises a concern, whatever the total.
            RiskIndicated = answers[Instruments.Phq9RiskItemIndex] > 0,
        };
    }

    private static QuestionnaireScore ScoreGad7(IReadOnlyList<int?> answers, OutcomeThresholds t)
    {
        var total = Sum(answers);
        return new QuestionnaireScore(Instruments.Gad7)
        {
            Total = total,
            Band = Gad7Band(total, t),
            Caseness = total >= t.Gad7Caseness,
        };
    }

    private static QuestionnaireScore ScoreSwemwbs(IReadOnlyList<int?> answers)
    {
        var raw = Sum(answers);
        return new QuestionnaireScore(Instruments.Swemwbs) { Total = raw, Metric = SwemwbsMetric(raw) };
    }

    // The GSS standard reports the four measures separately and never sums them, hence no total and no single band.
    // Item order is the standard's question order: life satisfaction, worthwhile, happy, anxiety.
    private static QuestionnaireScore ScoreOns4(IReadOnlyList<int?> answers, OutcomeThresholds t) =>
        new(Instruments.Ons4)
        {
            Bands = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [Ons4Measures.LifeSatisfaction] = Ons4PositiveBand(answers[0]!.Value, t),
                [Ons4Measures.Worthwhile] = Ons4PositiveBand(answers[1]!.Value, t),
                [Ons4Measures.Happy] = Ons4PositiveBand(answers[2]!.Value, t),
                [Ons4Measures.Anxiety] = Ons4AnxietyBand(answers[3]!.Value, t),
            },
        };

    private static QuestionnaireScore ScoreUcla3(IReadOnlyList<int?> answers, OutcomeThresholds t)
    {
        var total = Sum(answers);
        return new QuestionnaireScore(Instruments.Ucla3) { Total = total, Lonely = total >= t.Ucla3Lonely };
    }

    /// <summary>
    /// NHS Data Dictionary: exactly one missing item (or a not-applicable work item, which arrives as null) takes the
    /// mean of the other four. That mean is a whole number divided by 4, so it is exact to 2 decimal places and the
    /// total needs no rounding.
    /// </summary>
    private static QuestionnaireScore ScoreWsas(IReadOnlyList<int?> answers, IReadOnlyList<int> missing, OutcomeThresholds t)
    {
        var given = Sum(answers);
        int? imputedItem = missing.Count == 1 ? missing[0] : null;
        var total = imputedItem is null
            ? given
            : given + Math.Round((decimal)given / (Instruments.WsasItems - 1), 2, MidpointRounding.AwayFromZero);
        return new QuestionnaireScore(Instruments.Wsas) { Total = total, Band = WsasBand(total, t), ImputedItem = imputedItem };
    }

    private static int Sum(IReadOnlyList<int?> answers) => answers.Sum(a => a ?? 0);

    private static string ItemPath(int index) => FormattableString.Invariant($"answers[{index}]");
}

/// <summary>Either a score or the reasons the answers cannot be scored, never both.</summary>
internal sealed record ScoreOutcome
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>(StringComparer.Ordinal);

    private ScoreOutcome(QuestionnaireScore? score, IReadOnlyDictionary<string, string[]> errors)
    {
        Score = score;
        Errors = errors;
    }

    public QuestionnaireScore? Score { get; }

    /// <summary>Messages keyed by field path (<c>instrument</c>, <c>answers</c>, <c>answers[i]</c>), ready for a validation problem.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    [MemberNotNullWhen(true, nameof(Score))]
    public bool IsValid => Score is not null;

    public static ScoreOutcome Valid(QuestionnaireScore score) => new(score ?? throw new ArgumentNullException(nameof(score)), NoErrors);

    public static ScoreOutcome Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        errors is null || errors.Count == 0
            ? throw new ArgumentException("An invalid outcome needs at least one error.", nameof(errors))
            : new(null, errors);

    public static ScoreOutcome Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}

/// <summary>
/// The scored result of one questionnaire (api.md, "Response shapes": questionnaire result). Fields that do not apply
/// to the instrument stay null.
/// </summary>
internal sealed record QuestionnaireScore(string Instrument)
{
    /// <summary>Sum of the items; SWEMWBS gives the raw total here. Null for ONS4, which is never summed.</summary>
    public decimal? Total { get; init; }

    /// <summary>SWEMWBS only: the metric score from the Warwick table.</summary>
    public decimal? Metric { get; init; }

    /// <summary>PHQ-9, GAD-7 and WSAS severity band.</summary>
    public string? Band { get; init; }

    /// <summary>ONS4 only: one band per measure, keyed as in <see cref="Ons4Measures"/>.</summary>
    public IReadOnlyDictionary<string, string>? Bands { get; init; }

    /// <summary>PHQ-9 and GAD-7: total at or above the caseness setting (10 and 8 by default).</summary>
    public bool? Caseness { get; init; }

    /// <summary>PHQ-9 only: item 9 answered above 0.</summary>
    public bool? RiskIndicated { get; init; }

    /// <summary>UCLA-3 only: total at or above the lonely setting (6 by default).</summary>
    public bool? Lonely { get; init; }

    /// <summary>WSAS only: the 0-based item that was missing or not applicable and took the mean of the others.</summary>
    public int? ImputedItem { get; init; }
}

/// <summary>Band names as the API writes them: lowercase and hyphenated.</summary>
internal static class ScoreBands
{
    public const string Minimal = "minimal";
    public const string Mild = "mild";
    public const string Moderate = "moderate";
    public const string ModeratelySevere = "moderately-severe";
    public const string Severe = "severe";

    public const string VeryLow = "very-low";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string VeryHigh = "very-high";

    public const string Subclinical = "subclinical";
    public const string Significant = "significant";
    public const string ModeratelySevereOrWorse = "moderately-severe-or-worse";
}

/// <summary>Keys of the ONS4 <c>bands</c> object (api.md, "Response shapes").</summary>
internal static class Ons4Measures
{
    public const string LifeSatisfaction = "lifeSatisfaction";
    public const string Worthwhile = "worthwhile";
    public const string Happy = "happy";
    public const string Anxiety = "anxiety";
}
