using System.Text.Json.Serialization;

namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// Small-number suppression for analyst-facing aggregates (measures.md, "Disclosure control for analyst reports").
/// The defaults are the published thresholds; they are settings so that a data-sharing agreement can tighten them.
/// </summary>
internal sealed record DisclosureSettings
{
    public static DisclosureSettings Default { get; } = new();

    /// <summary>Smallest count that is suppressed (measures.md: 1; zero is always shown).</summary>
    public int SuppressFrom { get; init; } = 1;

    /// <summary>Largest count that is suppressed (measures.md: 7).</summary>
    public int SuppressTo { get; init; } = 7;

    /// <summary>Counts that are shown are rounded to the nearest multiple of this (measures.md: 5; 1 turns rounding off).</summary>
    public int RoundTo { get; init; } = 5;
}

/// <summary>
/// One count in an analyst report. Serialises as <c>{ "value": 40 }</c>, or when suppressed as
/// <c>{ "value": null, "suppressed": true, "reason": "..." }</c> (api.md, "Response shapes": every count is an object
/// so that suppression is explicit).
/// </summary>
internal sealed record CountValue(
    [property: JsonPropertyName("value")] int? Value,
    [property: JsonPropertyName("suppressed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Suppressed = false,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>
/// A rate with both denominators side by side (measures.md: the choice of denominator is what hides a service's real
/// effect). Null means suppressed or undefined; the API writes the null rather than dropping the field.
/// </summary>
internal sealed record RatePair(
    [property: JsonPropertyName("nhs")] decimal? Nhs,
    [property: JsonPropertyName("allReferrals")] decimal? AllReferrals);

internal static class DisclosureControl
{
    /// <summary>
    /// The published count: 0 as 0, 1 to 7 suppressed, anything larger rounded to the nearest 5. With a multiple of
    /// 5 a whole count never falls exactly half-way (n/5 ends in .0, .2, .4, .6 or .8), so no tie-break is ever
    /// needed; should <see cref="DisclosureSettings.RoundTo"/> be set to an even number, ties round away from zero
    /// (up), which never understates a group's size towards the suppressed range.
    /// </summary>
    public static CountValue Count(int n, DisclosureSettings? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var s = settings ?? DisclosureSettings.Default;
        if (IsSuppressed(n, s)) return new CountValue(null, true, SuppressionReason(s));
        return new CountValue(RoundCount(n, s));
    }

    /// <summary>
    /// A fraction rounded to 3 places (api.md). Null when the numerator or denominator is a suppressed count, or the
    /// denominator is 0; otherwise computed from the unrounded counts, since rounding both would distort small rates.
    /// A zero numerator is shown (0 is not suppressed).
    /// </summary>
    public static decimal? Rate(int numerator, int denominator, DisclosureSettings? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegative(denominator);
        var s = settings ?? DisclosureSettings.Default;
        if (denominator == 0 || IsSuppressed(numerator, s) || IsSuppressed(denominator, s)) return null;
        return Math.Round((decimal)numerator / denominator, 3, MidpointRounding.AwayFromZero);
    }

    /// <summary>The same numerator over the NHS Talking Therapies denominator and over every referral in the period.</summary>
    public static RatePair Rates(int numerator, int nhsDenominator, int allReferrals, DisclosureSettings? settings = null) =>
        new(Rate(numerator, nhsDenominator, settings), Rate(numerator, allReferrals, settings));

    public static bool IsSuppressed(int n, DisclosureSettings? settings = null)
    {
        var s = settings ?? DisclosureSettings.Default;
        return n >= s.SuppressFrom && n <= s.SuppressTo;
    }

    private static int RoundCount(int n, DisclosureSettings s) =>
        s.RoundTo <= 1 ? n : (int)(Math.Round((decimal)n / s.RoundTo, MidpointRounding.AwayFromZero) * s.RoundTo);

    private static string SuppressionReason(DisclosureSettings s) =>
        FormattableString.Invariant($"Counts from {s.SuppressFrom} to {s.SuppressTo} are suppressed so that small groups cannot be identified.");
}
