using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// One check-in of the staying-well curve: <c>atRisk</c> episodes that ended recovered and were still followed there,
/// <c>relapsed</c> of them since the check-in before, <c>censored</c> (the check-in missed, so they leave the curve) and
/// <c>stillRecovered</c> (at risk and not relapsed). <c>stillRecoveredShare.nhs</c> is the Kaplan-Meier share of the
/// episodes that ended recovered still recovered at this point (the product of 1 - relapsed / at risk over this and every
/// earlier check-in); <c>allReferrals</c> is those known to be still recovered here over every referral of the period.
/// </summary>
internal sealed record StayingWellPoint(int Months, CountValue AtRisk, CountValue Relapsed, CountValue Censored, CountValue StillRecovered, RatePair StillRecoveredShare);

/// <summary>The staying-well curve, with <see cref="StayingWell"/>'s counts and rates (the same figures the funnel and relapse report publish).</summary>
internal sealed record StayingWellReport(
    DateOnly From, DateOnly To, Guid? PartnerId, string? Programme, CountValue Referrals, CountValue Ended, CountValue RecoveredAtEnd,
    CountValue Relapsed, CountValue Recurred, CountValue Sustained, CountValue Returned,
    RatePair RelapseRate, RatePair RecurrenceRate, RatePair SustainedRecoveryRate, RatePair ReturnRate, IReadOnlyList<StayingWellPoint> Curve);

internal static class GetStayingWell
{
    /// <summary>True counts at one check-in of the curve.</summary>
    public sealed record PointCounts(int Months, int AtRisk, int Relapsed, int Censored);

    /// <summary>
    /// Pure. The share at a check-in is suppressed when any count it is multiplied from (at risk or relapsed, here or at
    /// an earlier check-in) is, and undefined (null) once a check-in has nobody at risk.
    /// </summary>
    public static StayingWellReport Decide(ReportQuery q, StayingWell.Counts after, IReadOnlyList<PointCounts> points, DisclosureSettings d)
    {
        var s = StayingWell.Publish(after, d);
        var curve = new List<StayingWellPoint>();
        decimal? share = 1m;
        var hidden = false;
        foreach (var p in points.OrderBy(p => p.Months))
        {
            hidden |= DisclosureControl.IsSuppressed(p.AtRisk, d) || DisclosureControl.IsSuppressed(p.Relapsed, d);
            share = share is { } sh && p.AtRisk > 0 ? sh * (1 - (decimal)p.Relapsed / p.AtRisk) : null;
            var still = p.AtRisk - p.Relapsed;
            curve.Add(new StayingWellPoint(p.Months, DisclosureControl.Count(p.AtRisk, d), DisclosureControl.Count(p.Relapsed, d),
                DisclosureControl.Count(p.Censored, d), DisclosureControl.Count(still, d),
                new RatePair(hidden || share is null ? null : Math.Round(share.Value, 3, MidpointRounding.AwayFromZero),
                    DisclosureControl.Rate(still, after.Referrals, d))));
        }

        return new(q.From, q.To, q.PartnerId, q.Programme, DisclosureControl.Count(after.Referrals, d), s.Ended, s.Recovered, s.Relapsed, s.Recurred,
            s.Sustained, s.Returned, s.RelapseRate, s.RecurrenceRate, s.SustainedRecoveryRate, s.ReturnRate, curve);
    }

    /// <summary>The true counts at each check-in the settings name (up to the relapse window), from the report cells <c>well:months:status</c>.</summary>
    public static IReadOnlyList<PointCounts> Points(CellCounts cells, FollowUpSettings settings)
    {
        var months = settings.IntervalsMonths.Where(m => m <= settings.RelapseWindowMonths).Order().ToArray();
        int N(int m, string status) => cells.Count(ReportCells.Well, FormattableString.Invariant($"{m}:{status}"));
        return [.. months.Select(m => new PointCounts(m, N(m, StayingWellStatus.StillRecovered) + N(m, StayingWellStatus.Relapsed),
            N(m, StayingWellStatus.Relapsed), N(m, StayingWellStatus.Censored)))];
    }

    public static async Task<StayingWellReport> ReadAsync(IQuerySession session, ReportQuery query, FollowUpSettings settings, DisclosureSettings disclosure,
        CancellationToken ct) =>
        Read(await CellCounts.ReadAsync(session, query, [ReportCells.Well], ct), query, settings, disclosure);

    public static StayingWellReport Read(CellCounts cells, ReportQuery query, FollowUpSettings settings, DisclosureSettings disclosure) =>
        Decide(query, StayingWell.From(cells), Points(cells, settings), disclosure);

    public static Task<Results<Ok<StayingWellReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, FollowUpSettings settings, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, q => ReadAsync(session, q, settings, disclosure, ct));
}
