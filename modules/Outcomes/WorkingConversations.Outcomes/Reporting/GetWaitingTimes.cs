using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>Days between two steps: how many episodes made the step, and the median and 90th percentile (null when the count is suppressed).</summary>
internal sealed record WaitingTime(CountValue Episodes, decimal? MedianDays, decimal? P90Days);

internal sealed record WaitingTimesReport(DateOnly From, DateOnly To, Guid? PartnerId, WaitingTime ReceivedToAccepted, WaitingTime AcceptedToFirstConversation);

internal static class GetWaitingTimes
{
    /// <summary>
    /// A percentile of a group too small to show would tell as much as the count does, so it is suppressed with it.
    /// Days are rounded to one decimal place.
    /// </summary>
    public static WaitingTime Decide(OutcomeQueries.WaitingStats s, DisclosureSettings d)
    {
        var count = DisclosureControl.Count(s.Count, d);
        decimal? Days(double? value) => count.Value is null or 0 || value is null ? null : Math.Round((decimal)value.Value, 1, MidpointRounding.AwayFromZero);
        return new WaitingTime(count, Days(s.MedianDays), Days(s.P90Days));
    }

    public static async Task<Results<Ok<WaitingTimesReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = ReportQuery.Parse(fromDate, toDate, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping: false);
        if (query is null) return problem!;
        var (accepted, first) = await OutcomeQueries.WaitingTimesAsync(session, query, ct);
        return TypedResults.Ok(new WaitingTimesReport(query.From, query.To, query.PartnerId, Decide(accepted, disclosure), Decide(first, disclosure)));
    }
}
