using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// What happened after the episodes of the period (<see cref="StayingWell"/>, the same figures the funnel shows):
/// relapse, recurrence and sustained recovery among the episodes that ended recovered, whose <c>nhs</c> denominator that
/// is; returned among every ended episode. Finished episodes without paired scores are counted apart
/// (<c>notMeasurable</c>): they cannot have ended recovered. Check-ins are counted one by one; completion is done over
/// done plus missed.
/// </summary>
internal sealed record RelapseReport(
    DateOnly From, DateOnly To, Guid? PartnerId, CountValue Referrals, CountValue Ended, CountValue Finished, CountValue NotMeasurable,
    CountValue RecoveredAtEnd, CountValue Relapsed, CountValue Recurred, CountValue Sustained, CountValue Returned,
    CountValue FollowUpsDue, CountValue FollowUpsDone, CountValue FollowUpsMissed,
    RatePair RelapseRate, RatePair RecurrenceRate, RatePair SustainedRecoveryRate, RatePair ReturnRate, decimal? FollowUpCompletion);

internal static class GetRelapse
{
    public static RelapseReport Decide(ReportQuery q, OutcomeQueries.RelapseCounts c, StayingWell.Counts after, DisclosureSettings d)
    {
        var s = StayingWell.Publish(after, d);
        return new(
            q.From, q.To, q.PartnerId,
            DisclosureControl.Count(after.Referrals, d), s.Ended, DisclosureControl.Count(c.Finished, d), DisclosureControl.Count(c.NotMeasurable, d),
            s.Recovered, s.Relapsed, s.Recurred, s.Sustained, s.Returned,
            DisclosureControl.Count(c.CheckInsDue, d), DisclosureControl.Count(c.CheckInsDone, d), DisclosureControl.Count(c.CheckInsMissed, d),
            s.RelapseRate, s.RecurrenceRate, s.SustainedRecoveryRate, s.ReturnRate,
            DisclosureControl.Rate(c.CheckInsDone, c.CheckInsDone + c.CheckInsMissed, d));
    }

    public static Task<Results<Ok<RelapseReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, async q => Decide(q, await OutcomeQueries.RelapseAsync(session, q, ct), await StayingWell.CountAsync(session, q, ct), disclosure));
}
