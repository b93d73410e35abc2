namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// Follow-up schedule and windows (measures.md, "After the episode"). Months are calendar months added to the end
/// date; a day past the end of a shorter month clamps to its last day (31 January + 1 month = 28 or 29 February).
/// </summary>
public sealed record FollowUpSettings
{
    public static FollowUpSettings Default { get; } = new();

    /// <summary>Check-ins are due this many months after the episode ends (measures.md: 1, 3, 6 and 12).</summary>
    public IReadOnlyList<int> IntervalsMonths { get; init; } = [1, 3, 6, 12];

    /// <summary>
    /// A check-in is done when a follow-up is recorded within this many days either side of its due date, and missed
    /// once this many days have passed since its due date without one (measures.md: 14 days).
    /// </summary>
    public int GraceDays { get; init; } = 14;

    /// <summary>
    /// Relapse is within this many months of the end, recurrence after it; sustained recovery needs the check-in due
    /// this many months after the end, and "returned" uses the same window (measures.md: 12 months).
    /// </summary>
    public int RelapseWindowMonths { get; init; } = 12;
}

/// <summary>
/// One follow-up (measures.md: any questionnaire or circumstances recorded with timepoint <c>follow-up</c>) and the PHQ-9
/// and GAD-7 it recorded; an instrument not given is null, and a follow-up with other instruments only has neither.
/// </summary>
internal sealed record FollowUpScores(DateOnly Date, decimal? Phq9, decimal? Gad7)
{
    /// <summary>Whether the follow-up can say anything about relapse: it recorded PHQ-9 or GAD-7 (measures.md).</summary>
    public bool Clinical => Phq9 is not null || Gad7 is not null;
}

/// <summary>
/// What happened after an episode (measures.md, "After the episode: relapse and staying well").
/// <paramref name="TwelveMonthFollowUpDate"/> is the date of the follow-up that kept the 12-month check-in, null when
/// none was recorded within its window.
/// </summary>
internal sealed record FollowUpOutcome(
    bool Relapsed,
    bool Recurred,
    bool SustainedRecovery,
    DateOnly? FirstRelapseDate,
    DateOnly? FirstRecurrenceDate,
    DateOnly? TwelveMonthFollowUpDate);

internal enum CheckInStatus
{
    /// <summary>A follow-up was recorded within the grace window around the due date.</summary>
    Done,

    /// <summary>Nothing was recorded and the grace window has closed.</summary>
    Missed,

    /// <summary>Nothing recorded yet, but the grace window is still open (or not yet reached).</summary>
    Pending,
}

/// <summary>One scheduled check-in and whether it was kept.</summary>
internal sealed record FollowUpCheckIn(int Months, DateOnly DueDate, CheckInStatus Status, DateOnly? RecordedOn);

internal static class FollowUpClassification
{
    /// <summary>
    /// Relapse, recurrence and sustained recovery for one episode.
    /// <list type="bullet">
    /// <item>Only an episode that ended in recovery can relapse, recur or be sustained.</item>
    /// <item>A follow-up shows deterioration when PHQ-9 is at caseness having risen by at least its reliable-change
    /// amount from the episode's last PHQ-9, or the same for GAD-7. A follow-up without PHQ-9 and GAD-7 says nothing
    /// about relapse; an instrument missing at the follow-up or from the episode cannot show it.</item>
    /// <item>Relapse: such a follow-up dated on or before end + 12 months; recurrence: one dated after that.
    /// Follow-ups dated before the end are ignored.</item>
    /// <item>The 12-month check-in is kept by the earliest follow-up (any instrument) within its window, due date
    /// (end + 12 months) minus to plus the grace days. One recorded later does not keep it (measures.md).</item>
    /// <item>Sustained recovery: recovered, the 12-month check-in kept, and no follow-up up to 12 months, nor the one
    /// that kept the check-in, showing deterioration. Including that one matters: a check-in kept a few days after the
    /// 12 months that shows deterioration is strictly a recurrence, yet the person was plainly not well at 12 months.</item>
    /// </list>
    /// </summary>
    public static FollowUpOutcome Classify(
        DateOnly episodeEnd,
        bool endedInRecovery,
        decimal? lastPhq9,
        decimal? lastGad7,
        IReadOnlyList<FollowUpScores> followUps,
        OutcomeThresholds? thresholds = null,
        FollowUpSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(followUps);
        var t = thresholds ?? OutcomeThresholds.Default;
        var s = settings ?? FollowUpSettings.Default;

        var windowEnd = episodeEnd.AddMonths(s.RelapseWindowMonths);
        var ordered = followUps.Where(f => f.Date >= episodeEnd).OrderBy(f => f.Date).ToList();

        var twelveMonth = ordered.FirstOrDefault(f => f.Date >= windowEnd.AddDays(-s.GraceDays) && f.Date <= windowEnd.AddDays(s.GraceDays));
        if (!endedInRecovery) return new FollowUpOutcome(false, false, false, null, null, twelveMonth?.Date);

        var deteriorations = ordered.Where(f => ShowsDeterioration(f, lastPhq9, lastGad7, t)).Select(f => f.Date).ToList();
        DateOnly? firstRelapse = deteriorations.Where(d => d <= windowEnd).Select(d => (DateOnly?)d).FirstOrDefault();
        DateOnly? firstRecurrence = deteriorations.Where(d => d > windowEnd).Select(d => (DateOnly?)d).FirstOrDefault();

        var sustained = twelveMonth is not null && !deteriorations.Any(d => d <= windowEnd || d <= twelveMonth.Date);

        return new FollowUpOutcome(
            Relapsed: firstRelapse is not null,
            Recurred: firstRecurrence is not null,
            SustainedRecovery: sustained,
            FirstRelapseDate: firstRelapse,
            FirstRecurrenceDate: firstRecurrence,
            TwelveMonthFollowUpDate: twelveMonth?.Date);
    }

    /// <summary>
    /// The relapse criterion at one follow-up (measures.md): PHQ-9 at caseness having risen by its reliable-change
    /// amount from the episode's last score, or GAD-7 likewise. False at a follow-up without either.
    /// </summary>
    public static bool ShowsDeterioration(FollowUpScores followUp, decimal? lastPhq9, decimal? lastGad7, OutcomeThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        var t = thresholds ?? OutcomeThresholds.Default;
        var phq9 = followUp.Phq9 >= t.Phq9Caseness && followUp.Phq9 - lastPhq9 >= t.Phq9ReliableChange;
        var gad7 = followUp.Gad7 >= t.Gad7Caseness && followUp.Gad7 - lastGad7 >= t.Gad7ReliableChange;
        return phq9 || gad7;
    }

    /// <summary>
    /// Returned (measures.md): re-referred within 12 months of the end, counted apart from relapse. A referral on the
    /// end date itself counts (it can only be a new one); referrals before the end are the episode's own or older.
    /// </summary>
    public static bool Returned(DateOnly episodeEnd, IEnumerable<DateOnly> referralDates, FollowUpSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(referralDates);
        var windowEnd = episodeEnd.AddMonths((settings ?? FollowUpSettings.Default).RelapseWindowMonths);
        return referralDates.Any(d => d >= episodeEnd && d <= windowEnd);
    }

    /// <summary>
    /// The scheduled check-ins of an episode and whether each was kept, as of a date. A check-in is done when a
    /// follow-up (any instrument, or circumstances) is recorded within the grace days either side of its due date (each
    /// recorded follow-up keeps at most one check-in, the earliest due that it fits), and missed (measures.md: "not
    /// recorded within 14 days of its due date") once <paramref name="asOf"/> is past due date + grace without one.
    /// </summary>
    public static IReadOnlyList<FollowUpCheckIn> CheckIns(
        DateOnly episodeEnd,
        IEnumerable<DateOnly> followUpDates,
        DateOnly asOf,
        FollowUpSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(followUpDates);
        var s = settings ?? FollowUpSettings.Default;
        var unused = followUpDates.Order().ToList();
        var checkIns = new List<FollowUpCheckIn>();

        foreach (var months in s.IntervalsMonths.Order())
        {
            var due = episodeEnd.AddMonths(months);
            var from = due.AddDays(-s.GraceDays);
            var to = due.AddDays(s.GraceDays);
            var match = unused.FindIndex(d => d >= from && d <= to);
            if (match >= 0)
            {
                checkIns.Add(new FollowUpCheckIn(months, due, CheckInStatus.Done, unused[match]));
                unused.RemoveAt(match);
            }
            else
            {
                checkIns.Add(new FollowUpCheckIn(months, due, asOf > to ? CheckInStatus.Missed : CheckInStatus.Pending, null));
            }
        }

        return checkIns;
    }

    /// <summary>True when any check-in due by <paramref name="asOf"/> was missed.</summary>
    public static bool FollowUpMissed(DateOnly episodeEnd, IEnumerable<DateOnly> followUpDates, DateOnly asOf, FollowUpSettings? settings = null) =>
        CheckIns(episodeEnd, followUpDates, asOf, settings).Any(c => c.Status == CheckInStatus.Missed);
}
