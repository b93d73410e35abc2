using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// One group of the summary. <c>notMeasurable</c> are finished episodes without paired scores: they are in no <c>nhs</c>
/// denominator (not in <c>finishedAtCaseness</c>; reliable improvement and deterioration are over <c>finished</c> less
/// them) and count in <c>allReferrals</c> as not recovered and not improved.
/// </summary>
internal sealed record SummaryGroup(
    string Key, CountValue Referrals, CountValue Accepted, CountValue Finished, CountValue NotMeasurable, CountValue FinishedAtCaseness, CountValue Recovered,
    CountValue ReliablyImproved, CountValue ReliablyDeteriorated, CountValue ReliablyRecovered,
    RatePair RecoveryRate, RatePair ReliableImprovementRate, RatePair ReliableDeteriorationRate, RatePair ReliableRecoveryRate);

internal sealed record SummaryReport(DateOnly From, DateOnly To, Guid? PartnerId, string? GroupBy, IReadOnlyList<SummaryGroup> Groups);

internal static class GetSummary
{
    /// <summary>Pure: one group's published figures from its true counts (disclosure control, both denominators).</summary>
    public static SummaryGroup Decide(OutcomeQueries.SummaryCounts c, DisclosureSettings disclosure) => new(
        c.Key,
        DisclosureControl.Count(c.Referrals, disclosure),
        DisclosureControl.Count(c.Accepted, disclosure),
        DisclosureControl.Count(c.Finished, disclosure),
        DisclosureControl.Count(c.NotMeasurable, disclosure),
        DisclosureControl.Count(c.FinishedAtCaseness, disclosure),
        DisclosureControl.Count(c.Recovered, disclosure),
        DisclosureControl.Count(c.ReliablyImproved, disclosure),
        DisclosureControl.Count(c.ReliablyDeteriorated, disclosure),
        DisclosureControl.Count(c.ReliablyRecovered, disclosure),
        DisclosureControl.Rates(c.Recovered, c.FinishedAtCaseness, c.Referrals, disclosure),
        DisclosureControl.Rates(c.ReliablyImproved, c.FinishedMeasurable, c.Referrals, disclosure),
        DisclosureControl.Rates(c.ReliablyDeteriorated, c.FinishedMeasurable, c.Referrals, disclosure),
        DisclosureControl.Rates(c.ReliablyRecovered, c.FinishedAtCaseness, c.Referrals, disclosure));

    public static Task<Results<Ok<SummaryReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, async query =>
        {
            var counts = await OutcomeQueries.SummaryAsync(session, query, ct);
            // Without grouping there is always the one group, even over an empty period, so a client never special-cases it.
            if (counts.Count == 0 && query.GroupBy is null) counts = [new OutcomeQueries.SummaryCounts("all", 0, 0, 0, 0, 0, 0, 0, 0, 0)];
            return new SummaryReport(query.From, query.To, query.PartnerId, query.GroupBy, [.. counts.Select(c => Decide(c, disclosure))]);
        }, grouping: true);
}
