using Marten;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Pages.Dashboard;

/// <summary>
/// Everything the dashboard shows, read through the same queries and decisions as the analyst API (one definition of
/// every figure): the funnel, the summary, the trend, the waiting times, staying well, wellbeing, circumstances and the
/// practitioner cohorts, for one period and filter.
/// </summary>
internal sealed record DashboardData(
    ReportQuery Query, OutcomeQueries.FunnelCounts FunnelCounts, StayingWell.Counts After, FunnelReport Funnel, SummaryGroup Summary, TrendReport Trend,
    WaitingTimesReport Waiting, StayingWellReport StayingWell, WellbeingReport Wellbeing, CircumstancesReport Circumstances, PractitionerCohortsReport Cohorts)
{
    public static async Task<DashboardData> LoadAsync(IQuerySession session, ReportQuery query, DisclosureSettings d, OutcomeThresholds thresholds,
        FollowUpSettings followUps, CancellationToken ct)
    {
        var funnel = await OutcomeQueries.FunnelAsync(session, query, ct);
        var after = await Reporting.StayingWell.CountAsync(session, query, ct);
        var summary = (await OutcomeQueries.SummaryAsync(session, query with { GroupBy = null }, ct)).FirstOrDefault()
                      ?? new OutcomeQueries.SummaryCounts("all", 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return new DashboardData(query, funnel, after, GetFunnel.Decide(query, funnel, after, d), GetSummary.Decide(summary, d),
            await GetTrend.ReadAsync(session, query, d, ct),
            await GetWaitingTimes.ReadAsync(session, query, d, ct),
            GetStayingWell.Decide(query, after, await GetStayingWell.PointsAsync(session, query, followUps, ct), d),
            await GetWellbeingChange.ReadAsync(session, query, thresholds, d, ct),
            await GetCircumstances.ReadAsync(session, query, d, ct),
            await GetPractitionerCohorts.ReadAsync(session, query, d, ct));
    }
}
