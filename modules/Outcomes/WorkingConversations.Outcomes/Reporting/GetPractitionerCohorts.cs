using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Outcomes by the training pathway of the practitioner who held most of each episode's conversations (measures.md's
/// grouping rule): <c>byProgramme</c> (<c>volunteer</c>, <c>apprentice</c>, <c>none</c> when no conversation was held) and
/// <c>byCertifiedQuarter</c> (the quarter, in UTC, when that practitioner was first certified, <c>2026-Q1</c>; <c>none</c>
/// without a conversation; <c>unknown</c> when the assignment did not carry the certification: one made before it was kept). Each group has the summary's
/// counts and rates, with the same definitions and both denominators.
/// </summary>
internal sealed record PractitionerCohortsReport(
    DateOnly From, DateOnly To, Guid? PartnerId, string? Programme, IReadOnlyList<SummaryGroup> ByProgramme, IReadOnlyList<SummaryGroup> ByCertifiedQuarter);

internal static class GetPractitionerCohorts
{
    /// <summary>
    /// By programme: the summary's own grouping (its monthly cells). By the quarter of certification: the report cells
    /// <c>cohort:quarter:column</c>, one per counted column of the summary.
    /// </summary>
    public static async Task<IReadOnlyList<(string Kind, OutcomeQueries.SummaryCounts Counts)>> CountAsync(IQuerySession session, ReportQuery query, CancellationToken ct)
    {
        var byProgramme = await OutcomeQueries.SummaryAsync(session, query with { GroupBy = ReportQuery.ByProgramme }, ct);
        return [.. byProgramme.Select(c => ("programme", c)), .. ByQuarter(await CellCounts.ReadAsync(session, query, [ReportCells.Cohort], ct)).Select(c => ("quarter", c))];
    }

    public static IEnumerable<OutcomeQueries.SummaryCounts> ByQuarter(CellCounts cells)
    {
        var columns = MonthlyRollup.CountColumns.Split(", ");
        var byQuarter = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (key, n) in cells.Of(ReportCells.Cohort))
        {
            var split = key.LastIndexOf(':');
            var column = Array.IndexOf(columns, key[(split + 1)..]);
            if (split < 0 || column < 0) continue;
            var quarter = key[..split];
            if (!byQuarter.TryGetValue(quarter, out var counts)) byQuarter[quarter] = counts = new int[columns.Length];
            counts[column] += n;
        }

        return byQuarter.Where(q => q.Value[0] > 0)
            .Select(q => new OutcomeQueries.SummaryCounts(q.Key, q.Value[0], q.Value[1], q.Value[2], q.Value[3], q.Value[4], q.Value[5], q.Value[6], q.Value[7], q.Value[8]));
    }

    public static PractitionerCohortsReport Decide(ReportQuery q, IReadOnlyList<(string Kind, OutcomeQueries.SummaryCounts Counts)> rows, DisclosureSettings d)
    {
        IReadOnlyList<SummaryGroup> Of(string kind) => [.. rows.Where(r => r.Kind == kind).Select(r => GetSummary.Decide(r.Counts, d))];
        return new(q.From, q.To, q.PartnerId, q.Programme, Of("programme"), Of("quarter"));
    }

    public static async Task<PractitionerCohortsReport> ReadAsync(IQuerySession session, ReportQuery query, DisclosureSettings disclosure, CancellationToken ct) =>
        Decide(query, await CountAsync(session, query, ct), disclosure);

    public static Task<Results<Ok<PractitionerCohortsReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, q => ReadAsync(session, q, disclosure, ct));
}
