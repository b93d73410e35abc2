using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>Days between two steps: how many episodes made the step, and the median and 90th percentile (null when the count is suppressed).</summary>
internal sealed record WaitingTime(CountValue Episodes, decimal? MedianDays, decimal? P90Days);

/// <summary>One band of the wait from referral to first conversation: more than <c>overDays</c> and at most <c>upToDays</c> (null: no upper end).</summary>
internal sealed record WaitingBand(string Band, int OverDays, int? UpToDays, CountValue Episodes);

/// <summary>
/// The waiting times. <c>distribution</c> bands the wait from the referral's receipt to the first conversation held;
/// <c>notSeen</c> are the referrals of the period without one. The shares within 6 and 18 weeks (the NHS Talking Therapies
/// waiting-time standards) have the same numerator over both denominators: <c>nhs</c> over the people seen (who had a
/// first conversation), <c>allReferrals</c> over every referral of the period, where anyone not yet seen counts as not seen
/// in time.
/// </summary>
internal sealed record WaitingTimesReport(
    DateOnly From, DateOnly To, Guid? PartnerId, WaitingTime ReceivedToAccepted, WaitingTime AcceptedToFirstConversation,
    WaitingTime ReceivedToFirstConversation, CountValue Referrals, CountValue NotSeen, IReadOnlyList<WaitingBand> Distribution,
    CountValue SeenWithin6Weeks, CountValue SeenWithin18Weeks, RatePair Within6WeeksRate, RatePair Within18WeeksRate);

internal static class GetWaitingTimes
{
    /// <summary>The bands' upper ends in days (2, 4, 6, 12 and 18 weeks), the last band open-ended.</summary>
    public static readonly (string Band, int Over, int? UpTo)[] Bands =
    [
        ("up-to-2-weeks", 0, 14), ("2-to-4-weeks", 14, 28), ("4-to-6-weeks", 28, 42), ("6-to-12-weeks", 42, 84), ("12-to-18-weeks", 84, 126),
        ("over-18-weeks", 126, null),
    ];

    public const int SixWeeks = 42;
    public const int EighteenWeeks = 126;

    /// <summary>True counts of the distribution: referrals, seen, and seen in each band.</summary>
    public sealed record DistributionCounts(int Referrals, int Seen, IReadOnlyList<int> InBand)
    {
        public int Within(int days) => Bands.Select((b, i) => (b, i)).Where(x => x.b.UpTo is { } up && up <= days).Sum(x => InBand[x.i]);
    }

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

    public static WaitingTimesReport Decide(ReportQuery q, OutcomeQueries.WaitingStats accepted, OutcomeQueries.WaitingStats first,
        OutcomeQueries.WaitingStats receivedToFirst, DistributionCounts c, DisclosureSettings d)
    {
        int six = c.Within(SixWeeks), eighteen = c.Within(EighteenWeeks);
        return new(q.From, q.To, q.PartnerId, Decide(accepted, d), Decide(first, d), Decide(receivedToFirst, d),
            DisclosureControl.Count(c.Referrals, d), DisclosureControl.Count(c.Referrals - c.Seen, d),
            [.. Bands.Select((b, i) => new WaitingBand(b.Band, b.Over, b.UpTo, DisclosureControl.Count(c.InBand[i], d)))],
            DisclosureControl.Count(six, d), DisclosureControl.Count(eighteen, d),
            DisclosureControl.Rates(six, c.Seen, c.Referrals, d), DisclosureControl.Rates(eighteen, c.Seen, c.Referrals, d));
    }

    public static Task<Results<Ok<WaitingTimesReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, q => ReadAsync(session, q, disclosure, ct));

    /// <summary>
    /// The counts from the report cells, the percentiles from the cells' histograms and one covering-index read per
    /// percentile (<see cref="WaitingPercentiles"/>), all in one snapshot so that the histogram and the rows agree.
    /// </summary>
    public static async Task<WaitingTimesReport> ReadAsync(IQuerySession session, ReportQuery query, DisclosureSettings disclosure, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var cells = await CellCounts.ReadAsync(connection, query, [ReportCells.Waiting], ct);
        var report = await ReadAsync(connection, query, cells, disclosure, ct);
        await snapshot.CommitAsync(ct);
        return report;
    }

    public static async Task<WaitingTimesReport> ReadAsync(NpgsqlConnection connection, ReportQuery query, CellCounts cells, DisclosureSettings disclosure,
        CancellationToken ct)
    {
        var accepted = await WaitingPercentiles.ReadAsync(connection, query, cells, ReportCells.ToAccept, "days_to_accept", ct);
        var first = await WaitingPercentiles.ReadAsync(connection, query, cells, ReportCells.AcceptToFirst, "days_accept_to_first", ct);
        var receivedToFirst = await WaitingPercentiles.ReadAsync(connection, query, cells, ReportCells.ToFirst, "days_to_first", ct);
        var seen = cells.Count(ReportCells.Waiting, ReportCells.ToFirst);
        var inBand = Enumerable.Range(0, Bands.Length).Select(i => cells.Count(ReportCells.Waiting, FormattableString.Invariant($"band:{i}"))).ToList();
        return Decide(query, accepted, first, receivedToFirst, new DistributionCounts(cells.Referrals, seen, inBand), disclosure);
    }
}
