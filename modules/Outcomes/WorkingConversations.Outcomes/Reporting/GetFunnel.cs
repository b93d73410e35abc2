using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The journey funnel: each stage is a subset of the one before it (engaged = at least one conversation held). Finished
/// episodes without paired scores are counted apart (<c>notMeasurable</c>) and are in neither <c>finishedAtCaseness</c> nor
/// <c>recovered</c>. Sustained recovery and its rate are <see cref="StayingWell"/>'s, the same as the relapse report's.
/// </summary>
internal sealed record FunnelReport(
    DateOnly From, DateOnly To, Guid? PartnerId, CountValue Referred, CountValue Accepted, CountValue Engaged, CountValue Finished,
    CountValue NotMeasurable, CountValue FinishedAtCaseness, CountValue Recovered, CountValue SustainedAt12Months,
    RatePair RecoveryRate, RatePair SustainedRecoveryRate);

internal static class GetFunnel
{
    public static FunnelReport Decide(ReportQuery q, OutcomeQueries.FunnelCounts c, StayingWell.Counts after, DisclosureSettings d)
    {
        var stayingWell = StayingWell.Publish(after, d);
        return new(
            q.From, q.To, q.PartnerId,
            DisclosureControl.Count(c.Referred, d), DisclosureControl.Count(c.Accepted, d), DisclosureControl.Count(c.Engaged, d),
            DisclosureControl.Count(c.Finished, d), DisclosureControl.Count(c.NotMeasurable, d), DisclosureControl.Count(c.FinishedAtCaseness, d),
            DisclosureControl.Count(c.Recovered, d), stayingWell.Sustained,
            DisclosureControl.Rates(c.Recovered, c.FinishedAtCaseness, c.Referred, d),
            stayingWell.SustainedRecoveryRate);
    }

    public static async Task<Results<Ok<FunnelReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = ReportQuery.Parse(fromDate, toDate, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping: false, programme);
        if (query is null) return problem!;
        return TypedResults.Ok(Decide(query, await OutcomeQueries.FunnelAsync(session, query, ct), await StayingWell.CountAsync(session, query, ct), disclosure));
    }
}
