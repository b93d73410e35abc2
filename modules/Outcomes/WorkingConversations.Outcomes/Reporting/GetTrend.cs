using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The monthly trend: every calendar month the period touches (key <c>yyyy-MM</c>, months without referrals included
/// as zeros, so a chart's axis has no gaps), each with the summary's counts and rates for the referrals received in it.
/// The same counts as <c>summary?groupBy=month</c>.
/// </summary>
internal sealed record TrendReport(DateOnly From, DateOnly To, Guid? PartnerId, string? Programme, IReadOnlyList<SummaryGroup> Months);

internal static class GetTrend
{
    public static TrendReport Decide(ReportQuery q, IReadOnlyList<OutcomeQueries.SummaryCounts> counts, DisclosureSettings d)
    {
        var byKey = counts.ToDictionary(c => c.Key);
        var months = new List<SummaryGroup>();
        for (var month = new DateOnly(q.From.Year, q.From.Month, 1); month <= q.To; month = month.AddMonths(1))
        {
            var key = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            months.Add(GetSummary.Decide(byKey.GetValueOrDefault(key) ?? new OutcomeQueries.SummaryCounts(key, 0, 0, 0, 0, 0, 0, 0, 0, 0), d));
        }

        return new(q.From, q.To, q.PartnerId, q.Programme, months);
    }

    public static async Task<TrendReport> ReadAsync(IQuerySession session, ReportQuery query, DisclosureSettings disclosure, CancellationToken ct) =>
        Decide(query, await OutcomeQueries.SummaryAsync(session, query with { GroupBy = ReportQuery.ByMonth }, ct), disclosure);

    public static Task<Results<Ok<TrendReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, q => ReadAsync(session, q, disclosure, ct),
            check: q => q.To.DayNumber - q.From.DayNumber > 366 * 10
                ? WorkingConversations.BuildingBlocks.Problem.Validation("from", "the trend covers at most ten years; choose a later 'from' or an earlier 'to'.")
                : null);

}
