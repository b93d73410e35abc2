namespace WorkingConversations.Outcomes.Scoring;

/// <summary>Where an episode that ended recovered stood at one check-in of the staying-well curve.</summary>
internal static class StayingWellStatus
{
    /// <summary>The check-in was done and no relapse was seen up to the close of its window.</summary>
    public const string StillRecovered = "still-recovered";

    /// <summary>A relapse was seen after the previous check-in and by the close of this one's window.</summary>
    public const string Relapsed = "relapsed";

    /// <summary>The check-in was missed before any relapse was seen: the episode leaves the curve here.</summary>
    public const string Censored = "censored";
}

/// <summary>
/// The staying-well curve (web.md: "the share still recovered at 1, 3, 6 and 12 months after the end, a survival curve,
/// censored at missed check-ins"), episode by episode. Each check-in up to the relapse window, in order, gives the
/// episode's status there, until the first relapse or the first missed check-in; a check-in still pending ends the list,
/// since nothing is known yet. The report sums the statuses into counts at risk and relapses at each check-in and
/// multiplies the shares through (Kaplan and Meier), so people lost to follow-up leave the denominator instead of being
/// read as well or as relapsed.
/// </summary>
internal static class StayingWellCurve
{
    /// <summary>
    /// <paramref name="checkIns"/> are the episode's scheduled check-ins (months after the end) with their status;
    /// <paramref name="firstRelapse"/> the date of the first follow-up showing deterioration within the relapse window
    /// (<see cref="FollowUpClassification"/>). Only an episode that ended recovered has a curve.
    /// </summary>
    public static IReadOnlyDictionary<int, string> Points(
        DateOnly episodeEnd, bool endedRecovered, IEnumerable<(int Months, CheckInStatus Status)> checkIns, DateOnly? firstRelapse,
        FollowUpSettings? settings = null)
    {
        var s = settings ?? FollowUpSettings.Default;
        var points = new SortedDictionary<int, string>();
        if (!endedRecovered) return points;
        foreach (var (months, status) in checkIns.Where(c => c.Months <= s.RelapseWindowMonths).OrderBy(c => c.Months))
        {
            var windowCloses = episodeEnd.AddMonths(months).AddDays(s.GraceDays);
            if (firstRelapse is { } relapse && relapse <= windowCloses)
            {
                points[months] = StayingWellStatus.Relapsed;
                break;
            }

            if (status == CheckInStatus.Done) points[months] = StayingWellStatus.StillRecovered;
            else
            {
                if (status == CheckInStatus.Missed) points[months] = StayingWellStatus.Censored;
                break;
            }
        }

        return points;
    }
}
