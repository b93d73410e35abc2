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
    /// <summary>
    /// Two reads of cells and a few of single values, on one connection and in one snapshot, so every section shows the
    /// same moment: the summary's monthly cells (the summary and the trend) and every report's cells at once, then the
    /// waiting-time percentiles.
    /// </summary>
    public static async Task<DashboardData> LoadAsync(IQuerySession session, ReportQuery query, DisclosureSettings d, OutcomeThresholds thresholds,
        FollowUpSettings followUps, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var months = await OutcomeQueries.SummaryAsync(connection, query with { GroupBy = ReportQuery.ByMonth }, ct);
        var byProgramme = await OutcomeQueries.SummaryAsync(connection, query with { GroupBy = ReportQuery.ByProgramme }, ct);
        var cells = await CellCounts.ReadAsync(connection, query,
            [ReportCells.Funnel, ReportCells.Well, ReportCells.Waiting, ReportCells.Wellbeing, ReportCells.Circumstances, ReportCells.Cohort], ct);
        var waiting = await GetWaitingTimes.ReadAsync(connection, query, cells, d, ct);
        await snapshot.CommitAsync(ct);

        var summary = OutcomeQueries.Sum(months);
        var funnel = OutcomeQueries.Funnel(summary, cells);
        var after = Reporting.StayingWell.From(cells);
        var t = thresholds.SwemwbsMeaningfulChange;
        return new DashboardData(query, funnel, after, GetFunnel.Decide(query, funnel, after, d), GetSummary.Decide(summary, d),
            GetTrend.Decide(query, months, d),
            waiting,
            GetStayingWell.Read(cells, query, followUps, d),
            GetWellbeingChange.Decide(query, GetWellbeingChange.From(cells, t), t, d),
            GetCircumstances.Decide(query, GetCircumstances.From(cells), d),
            GetPractitionerCohorts.Decide(query, [.. byProgramme.Select(c => ("programme", c)), .. GetPractitionerCohorts.ByQuarter(cells).Select(c => ("quarter", c))], d));
    }
}
