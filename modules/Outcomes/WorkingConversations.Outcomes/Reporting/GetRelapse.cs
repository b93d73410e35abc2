using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// What happened after the episodes of the period. Relapse, recurrence and sustained recovery are counted among episodes
/// that finished treatment in recovery (at caseness at the start), whose `nhs` denominator that is; returned among
/// finished episodes. Check-ins are counted one by one; completion is done over done plus missed.
/// </summary>
internal sealed record RelapseReport(
    DateOnly From, DateOnly To, Guid? PartnerId, CountValue Referrals, CountValue Finished, CountValue RecoveredAtEnd,
    CountValue Relapsed, CountValue Recurred, CountValue Sustained, CountValue Returned,
    CountValue FollowUpsDue, CountValue FollowUpsDone, CountValue FollowUpsMissed,
    RatePair RelapseRate, RatePair RecurrenceRate, RatePair SustainedRecoveryRate, RatePair ReturnRate, decimal? FollowUpCompletion);

internal static class GetRelapse
{
    public static RelapseReport Decide(ReportQuery q, OutcomeQueries.RelapseCounts c, DisclosureSettings d) => new(
        q.From, q.To, q.PartnerId,
        DisclosureControl.Count(c.Referrals, d), DisclosureControl.Count(c.Finished, d), DisclosureControl.Count(c.RecoveredAtEnd, d),
        DisclosureControl.Count(c.Relapsed, d), DisclosureControl.Count(c.Recurred, d), DisclosureControl.Count(c.Sustained, d),
        DisclosureControl.Count(c.Returned, d),
        DisclosureControl.Count(c.CheckInsDue, d), DisclosureControl.Count(c.CheckInsDone, d), DisclosureControl.Count(c.CheckInsMissed, d),
        DisclosureControl.Rates(c.Relapsed, c.RecoveredAtEnd, c.Referrals, d),
        DisclosureControl.Rates(c.Recurred, c.RecoveredAtEnd, c.Referrals, d),
        DisclosureControl.Rates(c.Sustained, c.RecoveredAtEnd, c.Referrals, d),
        DisclosureControl.Rates(c.Returned, c.Finished, c.Referrals, d),
        DisclosureControl.Rate(c.CheckInsDone, c.CheckInsDone + c.CheckInsMissed, d));

    public static async Task<Results<Ok<RelapseReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = ReportQuery.Parse(fromDate, toDate, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping: false);
        if (query is null) return problem!;
        return TypedResults.Ok(Decide(query, await OutcomeQueries.RelapseAsync(session, query, ct), disclosure));
    }
}
