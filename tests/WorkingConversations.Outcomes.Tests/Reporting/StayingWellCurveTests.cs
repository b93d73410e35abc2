using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Reporting;

/// <summary>The staying-well curve: each episode's status at the check-ins, and the shares with disclosure control.</summary>
public sealed class StayingWellCurveTests
{
    private static readonly DateOnly End = new(2026, 1, 31);

    private static IReadOnlyDictionary<int, string> Points(DateOnly? relapse, params CheckInStatus[] statuses) =>
        StayingWellCurve.Points(End, endedRecovered: true, new[] { 1, 3, 6, 12 }.Zip(statuses), relapse);

    [Fact]
    public void Done_check_ins_are_still_recovered_until_a_relapse_which_ends_the_curve_at_the_next_check_in()
    {
        // Relapse on 20 March: after the 1-month check-in's window (28 February + 14 days = 14 March), by the 3-month one's.
        Assert.Equal(new Dictionary<int, string> { [1] = StayingWellStatus.StillRecovered, [3] = StayingWellStatus.Relapsed },
            Points(new DateOnly(2026, 3, 20), CheckInStatus.Done, CheckInStatus.Missed, CheckInStatus.Done, CheckInStatus.Done));
    }

    [Fact]
    public void A_missed_check_in_censors_the_episode_and_a_pending_one_ends_what_is_known()
    {
        Assert.Equal(new Dictionary<int, string> { [1] = StayingWellStatus.StillRecovered, [3] = StayingWellStatus.Censored },
            Points(null, CheckInStatus.Done, CheckInStatus.Missed, CheckInStatus.Done, CheckInStatus.Done));
        Assert.Equal(new Dictionary<int, string> { [1] = StayingWellStatus.StillRecovered },
            Points(null, CheckInStatus.Done, CheckInStatus.Pending, CheckInStatus.Pending, CheckInStatus.Pending));
        Assert.Empty(StayingWellCurve.Points(End, endedRecovered: false, [(1, CheckInStatus.Done)], null));
    }

    [Fact]
    public void A_share_is_suppressed_when_any_count_it_is_multiplied_from_is_and_the_counts_follow_disclosure_control()
    {
        var query = new ReportQuery(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), null, null);
        var report = GetStayingWell.Decide(query, new StayingWell.Counts(100, 60, 40, 10, 3, 0, 2),
            [new(1, 40, 3, 2), new(3, 30, 0, 5), new(6, 20, 10, 0)], DisclosureSettings.Default);

        var first = report.Curve[0];
        Assert.Equal((40, true, null), (first.AtRisk.Value, first.Relapsed.Suppressed, first.StillRecoveredShare.Nhs));
        // 37 known well of 100 referred: shown, since neither count is suppressed.
        Assert.Equal(0.37m, first.StillRecoveredShare.AllReferrals);
        // Nothing relapsed at 3 months, but the share is multiplied from the suppressed 3 of the first check-in.
        Assert.Null(report.Curve[1].StillRecoveredShare.Nhs);
        Assert.Null(report.Curve[2].StillRecoveredShare.Nhs);
        Assert.Equal((true, 10), (report.Curve[1].Censored.Suppressed, report.Curve[2].Relapsed.Value));

        var shown = GetStayingWell.Decide(query, new StayingWell.Counts(100, 60, 40, 10, 10, 0, 2),
            [new(1, 40, 10, 0), new(3, 30, 0, 0), new(6, 20, 10, 0)], DisclosureSettings.Default);
        // 1 - 10/40 = 0.75; 0.75 at 3 months; 0.75 * (1 - 10/20) = 0.375.
        Assert.Equal([0.75m, 0.75m, 0.375m], shown.Curve.Select(p => p.StillRecoveredShare.Nhs!.Value).ToArray());
    }
}
