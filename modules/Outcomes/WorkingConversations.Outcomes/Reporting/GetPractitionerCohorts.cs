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
    public static async Task<IReadOnlyList<(string Kind, OutcomeQueries.SummaryCounts Counts)>> CountAsync(IQuerySession session, ReportQuery query, CancellationToken ct)
    {
        var sums = string.Join(", ", MonthlyRollup.Counts("e.").Select(c => $"sum({c})::int"));
        var sql = $"""
            select g.kind, g.key, {sums}
            from {OutcomeQueries.Table} e
            cross join lateral (values
                ('programme', coalesce(e.programme, 'none')),
                ('quarter', case when e.data ->> 'PractitionerId' is null then 'none' else coalesce(e.data ->> 'CertifiedQuarter', 'unknown') end)) g(kind, key)
            {OutcomeQueries.Where(query, "e.")}
            group by 1, 2
            order by 1, 2
            """;
        var rows = new List<(string, OutcomeQueries.SummaryCounts)>();
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = OutcomeQueries.Command(connection, sql, query);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(0), new OutcomeQueries.SummaryCounts(reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10))));
        }

        return rows;
    }

    public static PractitionerCohortsReport Decide(ReportQuery q, IReadOnlyList<(string Kind, OutcomeQueries.SummaryCounts Counts)> rows, DisclosureSettings d)
    {
        IReadOnlyList<SummaryGroup> Of(string kind) => [.. rows.Where(r => r.Kind == kind).Select(r => GetSummary.Decide(r.Counts, d))];
        return new(q.From, q.To, q.PartnerId, q.Programme, Of("programme"), Of("quarter"));
    }

    public static async Task<PractitionerCohortsReport> ReadAsync(IQuerySession session, ReportQuery query, DisclosureSettings disclosure, CancellationToken ct) =>
        Decide(query, await CountAsync(session, query, ct), disclosure);

    public static async Task<Results<Ok<PractitionerCohortsReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = ReportQuery.Parse(fromDate, toDate, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping: false, programme);
        if (query is null) return problem!;
        return TypedResults.Ok(await ReadAsync(session, query, disclosure, ct));
    }
}
