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

    public static Task<Results<Ok<FunnelReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, async q => Decide(q, await OutcomeQueries.FunnelAsync(session, q, ct), await StayingWell.CountAsync(session, q, ct), disclosure));
}
