using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>One band of SWEMWBS metric change, first to last: from <c>from</c> to <c>to</c> (null: open), each end included or not as the band's key says.</summary>
internal sealed record WellbeingBand(string Band, string Label, decimal? From, decimal? To, CountValue Episodes);

/// <summary>
/// The distribution of SWEMWBS metric change from the first to the last score of finished episodes with two SWEMWBS
/// questionnaires, in bands whose edges are the meaningful change (a setting, 3 by default) and twice it, so the
/// meaningful change is where the middle bands meet the outer ones. <c>improved</c> (a rise of at least the meaningful
/// change) and <c>deteriorated</c> (a fall of at least it) have the same numerator over both denominators: <c>nhs</c>
/// over the finished episodes with a change (<c>measured</c>), <c>allReferrals</c> over every referral of the period.
/// </summary>
internal sealed record WellbeingReport(
    DateOnly From, DateOnly To, Guid? PartnerId, string? Programme, decimal MeaningfulChange, CountValue Referrals, CountValue Finished, CountValue Measured,
    IReadOnlyList<WellbeingBand> Distribution, CountValue Improved, CountValue NoMeaningfulChange, CountValue Deteriorated,
    RatePair ImprovedRate, RatePair DeterioratedRate);

internal static class GetWellbeingChange
{
    public sealed record Counts(int Referrals, int Finished, int Measured, IReadOnlyList<int> InBand);

    /// <summary>The bands as (key, label, lower, upper, lower included, upper included), for a meaningful change of <paramref name="t"/>.</summary>
    public static IReadOnlyList<(string Key, string Label, decimal? Lower, decimal? Upper, bool LowerIn, bool UpperIn)> Bands(decimal t)
    {
        var one = t.ToString("0.##", CultureInfo.InvariantCulture);
        var two = (2 * t).ToString("0.##", CultureInfo.InvariantCulture);
        return
        [
            ("fell-by-twice-or-more", $"fell by {two} or more", null, -2 * t, false, true),
            ("fell-by-meaningful", $"fell by {one} to under {two}", -2 * t, -t, false, true),
            ("fell-by-less", $"fell by less than {one}", -t, 0m, false, false),
            ("rose-by-less", $"no change or rose by less than {one}", 0m, t, true, false),
            ("rose-by-meaningful", $"rose by {one} to under {two}", t, 2 * t, true, false),
            ("rose-by-twice-or-more", $"rose by {two} or more", 2 * t, null, true, false),
        ];
    }

    public static WellbeingReport Decide(ReportQuery q, Counts c, decimal t, DisclosureSettings d)
    {
        var bands = Bands(t);
        int deteriorated = c.InBand[0] + c.InBand[1], improved = c.InBand[4] + c.InBand[5];
        return new(q.From, q.To, q.PartnerId, q.Programme, t, DisclosureControl.Count(c.Referrals, d), DisclosureControl.Count(c.Finished, d),
            DisclosureControl.Count(c.Measured, d),
            [.. bands.Select((b, i) => new WellbeingBand(b.Key, b.Label, b.Lower, b.Upper, DisclosureControl.Count(c.InBand[i], d)))],
            DisclosureControl.Count(improved, d), DisclosureControl.Count(c.Measured - improved - deteriorated, d), DisclosureControl.Count(deteriorated, d),
            DisclosureControl.Rates(improved, c.Measured, c.Referrals, d), DisclosureControl.Rates(deteriorated, c.Measured, c.Referrals, d));
    }

    /// <summary>
    /// The SWEMWBS change of a finished episode that has one to report, else null. A change needs two questionnaires, as
    /// paired scores do: one questionnaire is a first and a last score only under last observation carried forward, and a
    /// change from a score to itself says nothing.
    /// </summary>
    public static decimal? Measured(Projections.EpisodeOutcome e) =>
        e.FinishedTreatment && e.SwemwbsChange is { } change && !Same(e.SwemwbsFirst?.At, e.SwemwbsLast?.At) ? change : null;

    private static bool Same(DateTimeOffset? a, DateTimeOffset? b) => a is { } x ? b is { } y && x.EqualsExact(y) : b is null;

    /// <summary>The true counts from the report cells: each exact change is a cell, banded here by the meaningful change <paramref name="t"/>.</summary>
    public static Counts From(CellCounts cells, decimal t)
    {
        var bands = Bands(t);
        var inBand = new int[bands.Count];
        var measured = 0;
        foreach (var (key, n) in cells.Of(ReportCells.Wellbeing))
        {
            if (!key.StartsWith("change:", StringComparison.Ordinal)) continue;
            var change = decimal.Parse(key["change:".Length..], NumberStyles.Number, CultureInfo.InvariantCulture);
            measured += n;
            for (var i = 0; i < bands.Count; i++)
            {
                var b = bands[i];
                if ((b.Lower is not { } lo || (b.LowerIn ? change >= lo : change > lo)) && (b.Upper is not { } up || (b.UpperIn ? change <= up : change < up)))
                    inBand[i] += n;
            }
        }

        return new Counts(cells.Referrals, cells.Count(ReportCells.Wellbeing, "finished"), measured, inBand);
    }

    public static async Task<WellbeingReport> ReadAsync(IQuerySession session, ReportQuery query, OutcomeThresholds thresholds, DisclosureSettings disclosure,
        CancellationToken ct) =>
        Decide(query, From(await CellCounts.ReadAsync(session, query, [ReportCells.Wellbeing], ct), thresholds.SwemwbsMeaningfulChange),
            thresholds.SwemwbsMeaningfulChange, disclosure);

    public static Task<Results<Ok<WellbeingReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, OutcomeThresholds thresholds, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, q => ReadAsync(session, q, thresholds, disclosure, ct));
}
