namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// Every threshold behind a score, a band, an episode outcome and a follow-up outcome, in one place (measures.md:
/// "Caseness, bands and every threshold come from the same settings everywhere"). The host registers one instance,
/// read from <c>Outcomes:Thresholds</c> (OutcomesSettings); the questionnaire response, the episode outcome projection
/// and so every report take that instance, so they cannot disagree. The defaults are the published values.
/// </summary>
public sealed record OutcomeThresholds
{
    public static OutcomeThresholds Default { get; } = new();

    /// <summary>PHQ-9 caseness: total at or above this. Source: NHS Talking Therapies manual.</summary>
    public int Phq9Caseness { get; init; } = 10;

    /// <summary>GAD-7 caseness: total at or above this. Source: NHS Talking Therapies manual.</summary>
    public int Gad7Caseness { get; init; } = 8;

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

    /// <summary>
    /// PHQ-9 bands: the total from which mild, moderate, moderately severe and severe start (below the first, minimal).
    /// Source: NHS Talking Therapies manual (0-4, 5-9, 10-14, 15-19, 20-27).
    /// </summary>
    public IReadOnlyList<int> Phq9BandsFrom { get; init; } = [5, 10, 15, 20];

    /// <summary>GAD-7 bands: the total from which mild, moderate and severe start. Source: NHS Talking Therapies manual (0-4, 5-9, 10-14, 15-21).</summary>
    public IReadOnlyList<int> Gad7BandsFrom { get; init; } = [5, 10, 15];

    /// <summary>UCLA-3: a total at or above this is "lonely". Source: ONS loneliness guidance.</summary>
    public int Ucla3Lonely { get; init; } = 6;

    /// <summary>WSAS: a total at or above this is significant impairment (below it, subclinical). Source: Mundt et al. 2002.</summary>
    public decimal WsasSignificantFrom { get; init; } = 10m;

    /// <summary>WSAS: a total above this is moderately severe or worse. Source: Mundt et al. 2002.</summary>
    public decimal WsasSevereAbove { get; init; } = 20m;

    /// <summary>
    /// ONS4 life satisfaction, worthwhile and happy: the answer from which medium, high and very high start (below, low).
    /// Source: GSS harmonised standard (0-4, 5-6, 7-8, 9-10).
    /// </summary>
    public IReadOnlyList<int> Ons4PositiveBandsFrom { get; init; } = [5, 7, 9];

    /// <summary>ONS4 anxiety (reverse sense): the answer from which low, medium and high start (below, very low). Source: GSS harmonised standard (0-1, 2-3, 4-5, 6-10).</summary>
    public IReadOnlyList<int> Ons4AnxietyBandsFrom { get; init; } = [2, 4, 6];

    /// <summary>
    /// What is wrong with these settings, as (setting, rule) pairs; empty when they can be used. A band list must have
    /// one bound per band after the first, rising, inside the instrument's range; a caseness or lonely threshold must
    /// be a total the instrument can give above its minimum; amounts must be positive.
    /// </summary>
    public IReadOnlyList<(string Setting, string Rule)> Problems()
    {
        var problems = new List<(string, string)>();
        void Range(string name, decimal value, decimal above, decimal atMost)
        {
            if (value <= above || value > atMost) problems.Add((name, FormattableString.Invariant($"must be more than {above} and at most {atMost} (it is {value}).")));
        }

        void Bands(string name, IReadOnlyList<int>? from, int bands, int min, int max)
        {
            if (from is null || from.Count != bands - 1)
            {
                problems.Add((name, FormattableString.Invariant($"must list {bands - 1} totals, where each band after the first starts.")));
                return;
            }

            for (var i = 0; i < from.Count; i++)
            {
                if (from[i] <= (i == 0 ? min : from[i - 1]) || from[i] > max)
                {
                    problems.Add((name, FormattableString.Invariant($"must rise from above {min} to at most {max} (it is {string.Join(", ", from)}).")));
                    return;
                }
            }
        }

        Range(nameof(Phq9Caseness), Phq9Caseness, Instruments.Phq9MinTotal, Instruments.Phq9MaxTotal);
        Range(nameof(Gad7Caseness), Gad7Caseness, Instruments.Gad7MinTotal, Instruments.Gad7MaxTotal);
        Range(nameof(Phq9ReliableChange), Phq9ReliableChange, 0, Instruments.Phq9MaxTotal);
        Range(nameof(Gad7ReliableChange), Gad7ReliableChange, 0, Instruments.Gad7MaxTotal);
        Range(nameof(SwemwbsMeaningfulChange), SwemwbsMeaningfulChange, 0, 28m);
        Range(nameof(FinishedTreatmentConversations), FinishedTreatmentConversations, 0, int.MaxValue);
        Range(nameof(Ucla3Lonely), Ucla3Lonely, Instruments.Ucla3MinTotal, Instruments.Ucla3MaxTotal);
        Range(nameof(WsasSignificantFrom), WsasSignificantFrom, 0, Instruments.WsasMaxTotal);
        if (WsasSevereAbove < WsasSignificantFrom || WsasSevereAbove > Instruments.WsasMaxTotal)
        {
            problems.Add((nameof(WsasSevereAbove), FormattableString.Invariant(
                $"must be at least {nameof(WsasSignificantFrom)} ({WsasSignificantFrom}) and at most {Instruments.WsasMaxTotal} (it is {WsasSevereAbove}).")));
        }

        Bands(nameof(Phq9BandsFrom), Phq9BandsFrom, 5, Instruments.Phq9MinTotal, Instruments.Phq9MaxTotal);
        Bands(nameof(Gad7BandsFrom), Gad7BandsFrom, 4, Instruments.Gad7MinTotal, Instruments.Gad7MaxTotal);
        Bands(nameof(Ons4PositiveBandsFrom), Ons4PositiveBandsFrom, 4, Instruments.Ons4MinAnswer, Instruments.Ons4MaxAnswer);
        Bands(nameof(Ons4AnxietyBandsFrom), Ons4AnxietyBandsFrom, 4, Instruments.Ons4MinAnswer, Instruments.Ons4MaxAnswer);
        return problems;
    }

    /// <summary>The band, of <paramref name="names"/> in order, that <paramref name="value"/> falls in.</summary>
    internal static string BandOf(decimal value, IReadOnlyList<int> from, IReadOnlyList<string> names)
    {
        var band = 0;
        while (band < from.Count && value >= from[band]) band++;
        return names[band];
    }
}
