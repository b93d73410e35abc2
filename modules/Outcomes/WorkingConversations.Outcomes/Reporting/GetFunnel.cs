using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>The journey funnel: each stage is a subset of the one before it (engaged = at least one conversation held).</summary>
internal sealed record FunnelReport(
    DateOnly From, DateOnly To, Guid? PartnerId, CountValue Referred, CountValue Accepted, CountValue Engaged, CountValue Finished,
    CountValue FinishedAtCaseness, CountValue Recovered, CountValue SustainedAt12Months,
    RatePair RecoveryRate, RatePair SustainedRecoveryRate);

internal static class GetFunnel
{
    public static FunnelReport Decide(ReportQuery q, OutcomeQueries.FunnelCounts c, DisclosureSettings d) => new(
        q.From, q.To, q.PartnerId,
        DisclosureControl.Count(c.Referred, d), DisclosureControl.Count(c.Accepted, d), DisclosureControl.Count(c.Engaged, d),
        DisclosureControl.Count(c.Finished, d), DisclosureControl.Count(c.FinishedAtCaseness, d), DisclosureControl.Count(c.Recovered, d),
        DisclosureControl.Count(c.SustainedAt12Months, d),
        DisclosureControl.Rates(c.Recovered, c.FinishedAtCaseness, c.Referred, d),
        DisclosureControl.Rates(c.SustainedAt12Months, c.FinishedAtCaseness, c.Referred, d));

    public static async Task<Results<Ok<FunnelReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = ReportQuery.Parse(fromDate, toDate, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping: false);
        if (query is null) return problem!;
        return TypedResults.Ok(Decide(query, await OutcomeQueries.FunnelAsync(session, query, ct), disclosure));
    }
}
