using Marten;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The one definition of the figures after the episode that more than one report publishes (measures.md, "After the
/// episode"): sustained recovery, relapse and recurrence over the episodes that ended recovered (<c>nhs</c>) and over
/// every referral of the period (<c>allReferrals</c>), and returned over every ended episode. The funnel and the relapse
/// report call it, and so must any later report that shows these rates (the analyst dashboard), so that they always
/// publish the same figure.
/// </summary>
internal static class StayingWell
{
    /// <summary>
    /// True counts, before disclosure control. <see cref="Recovered"/> are the episodes that ended recovered (finished,
    /// measurable, at caseness at the start, recovered: <see cref="CountedEpisodes.Recovered"/>); sustained, relapsed and
    /// recurred are counted among them; returned among every ended episode, finished or not.
    /// </summary>
    public sealed record Counts(int Referrals, int Ended, int Recovered, int Sustained, int Relapsed, int Recurred, int Returned);

    /// <summary>The published counts and rates (disclosure control applied).</summary>
    public sealed record Figures(
        CountValue Ended, CountValue Recovered, CountValue Sustained, CountValue Relapsed, CountValue Recurred, CountValue Returned,
        RatePair SustainedRecoveryRate, RatePair RelapseRate, RatePair RecurrenceRate, RatePair ReturnRate);

    public static async Task<Counts> CountAsync(IQuerySession session, ReportQuery query, CancellationToken ct) =>
        From(await CellCounts.ReadAsync(session, query, [ReportCells.Well], ct));

    /// <summary>The true counts from the report cells (<see cref="ReportCells"/>, <c>well:</c>).</summary>
    public static Counts From(CellCounts cells)
    {
        int N(string key) => cells.Count(ReportCells.Well, key);
        return new Counts(cells.Referrals, N("ended"), N("recovered"), N("sustained"), N("relapsed"), N("recurred"), N("returned"));
    }

    /// <summary>Pure: the published figures from the true counts.</summary>
    public static Figures Publish(Counts c, DisclosureSettings d) => new(
        DisclosureControl.Count(c.Ended, d), DisclosureControl.Count(c.Recovered, d), DisclosureControl.Count(c.Sustained, d),
        DisclosureControl.Count(c.Relapsed, d), DisclosureControl.Count(c.Recurred, d), DisclosureControl.Count(c.Returned, d),
        SustainedRecoveryRate: DisclosureControl.Rates(c.Sustained, c.Recovered, c.Referrals, d),
        RelapseRate: DisclosureControl.Rates(c.Relapsed, c.Recovered, c.Referrals, d),
        RecurrenceRate: DisclosureControl.Rates(c.Recurred, c.Recovered, c.Referrals, d),
        ReturnRate: DisclosureControl.Rates(c.Returned, c.Ended, c.Referrals, d));
}
