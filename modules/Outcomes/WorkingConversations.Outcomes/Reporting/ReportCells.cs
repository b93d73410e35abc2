using System.Globalization;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The cells of the analyst reports an episode counts in, each <c>report:key</c>, worked out by the projection when it
/// writes the episode's row (<see cref="EpisodeOutcome.ReportCells"/>). <see cref="ReportCellRollup"/> folds them into
/// monthly cells per partner and programme, so a report sums a few hundred cells over the period instead of reading every
/// episode's JSON. Each key is a count's definition, so this is the one place that says which episodes each count of
/// these reports takes; the read-time settings (the staying-well check-ins, the meaningful wellbeing change) pick among
/// cells rather than being folded in, so changing them needs no rebuild.
/// </summary>
internal static class ReportCells
{
    /// <summary>Every episode: the <c>allReferrals</c> denominator of every report.</summary>
    public const string All = "all";

    public const string Cohort = "cohort";
    public const string Funnel = "funnel";
    public const string Well = "well";
    public const string Circumstances = "circ";
    public const string Waiting = "wait";
    public const string Wellbeing = "wb";

    /// <summary>The three waits the waiting-times report gives the median and 90th percentile of, by their histogram key.</summary>
    public const string ToAccept = "accept";
    public const string AcceptToFirst = "first";
    public const string ToFirst = "seen";

    /// <summary>The histogram's bucket width in days: exact percentiles read the values of one bucket (<see cref="WaitingPercentiles"/>).</summary>
    public const int BucketDays = 7;

    public static string[] Of(EpisodeOutcome e)
    {
        var cells = new List<string> { $"{All}:referrals" };

        // The practitioner cohort by the quarter of certification, with the summary's counts (CountedEpisodes).
        var quarter = e.PractitionerId is null ? "none" : e.CertifiedQuarter ?? "unknown";
        foreach (var (column, counted) in SummaryFlags(e))
        {
            if (counted) cells.Add($"{Cohort}:{quarter}:{column}");
        }

        if (e.Engaged) cells.Add($"{Funnel}:engaged");

        // After the episode (StayingWell, GetStayingWell).
        var recovered = Counted.Recovered(e);
        if (e.Ended) cells.Add($"{Well}:ended");
        if (recovered) cells.Add($"{Well}:recovered");
        if (recovered && e.SustainedRecovery) cells.Add($"{Well}:sustained");
        if (recovered && e.Relapsed) cells.Add($"{Well}:relapsed");
        if (recovered && e.Recurred) cells.Add($"{Well}:recurred");
        if (e.Ended && e.Returned) cells.Add($"{Well}:returned");
        if (recovered)
        {
            foreach (var (months, status) in e.StayingWellAt) cells.Add(FormattableString.Invariant($"{Well}:{months}:{status}"));
        }

        // Circumstances transitions: an episode counts in a table only with both time points recorded.
        foreach (var (between, later) in new[] { (GetCircumstances.StartToEnd, e.CircumstancesAtEnd), (GetCircumstances.StartTo12Months, e.CircumstancesAt12Months) })
        {
            if (e.CircumstancesAtStart is not { } start || later is null) continue;
            foreach (var (name, _, _, value) in GetCircumstances.Measures)
            {
                if (value(start) is { } from && value(later) is { } to) cells.Add($"{Circumstances}:{between}:{name}:{from}:{to}");
            }
        }

        // Waiting times: the counts, the bands of the wait for a first conversation, and the histograms of the three waits.
        if (e.DaysToAccept is { } toAccept)
        {
            cells.Add($"{Waiting}:{ToAccept}");
            cells.Add($"{Waiting}:h:{ToAccept}:{Bucket(toAccept)}");
        }

        if (e.DaysAcceptToFirst is { } acceptToFirst)
        {
            cells.Add($"{Waiting}:{AcceptToFirst}");
            cells.Add($"{Waiting}:h:{AcceptToFirst}:{Bucket(acceptToFirst)}");
        }

        if (e.DaysToFirst is { } toFirst)
        {
            cells.Add($"{Waiting}:{ToFirst}");
            cells.Add($"{Waiting}:h:{ToFirst}:{Bucket(toFirst)}");
            for (var i = 0; i < GetWaitingTimes.Bands.Length; i++)
            {
                var (_, over, upTo) = GetWaitingTimes.Bands[i];
                if ((over == 0 ? toFirst >= over : toFirst > over) && (upTo is not { } up || toFirst <= up))
                    cells.Add(FormattableString.Invariant($"{Waiting}:band:{i}"));
            }
        }

        // SWEMWBS change: finished, and the exact change of those with two SWEMWBS questionnaires (the bands are a setting).
        if (e.FinishedTreatment)
        {
            cells.Add($"{Wellbeing}:finished");
            if (GetWellbeingChange.Measured(e) is { } change) cells.Add($"{Wellbeing}:change:{change.ToString(CultureInfo.InvariantCulture)}");
        }

        return [.. cells];
    }

    /// <summary>The histogram bucket of a wait: whole <see cref="BucketDays"/> from 0, so that every value of bucket k is at least k times the width.</summary>
    public static long Bucket(double days)
    {
        var k = (long)Math.Floor(days / BucketDays);
        if (days < k * (double)BucketDays) k--;
        else if (days >= (k + 1) * (double)BucketDays) k++;
        return k;
    }

    /// <summary>The summary's counted columns (MonthlyRollup.CountColumns, in order) for one episode, by CountedEpisodes' definitions.</summary>
    public static IEnumerable<(string Column, bool Counted)> SummaryFlags(EpisodeOutcome e) =>
    [
        ("referrals", true), ("accepted", e.Accepted), ("finished", e.FinishedTreatment), ("not_measurable", Counted.NotMeasurable(e)),
        ("finished_at_caseness", Counted.FinishedAtCaseness(e)), ("recovered", Counted.Recovered(e)), ("reliably_improved", Counted.ReliablyImproved(e)),
        ("reliably_deteriorated", Counted.ReliablyDeteriorated(e)), ("reliably_recovered", Counted.ReliablyRecovered(e)),
    ];

    /// <summary>The C# twin of <see cref="CountedEpisodes"/>' SQL, over the document (the SQL reads the same fields' columns).</summary>
    internal static class Counted
    {
        private static bool Measurable(EpisodeOutcome e) => e.Measurable is not false;

        public static bool NotMeasurable(EpisodeOutcome e) => e.FinishedTreatment && !Measurable(e);

        public static bool FinishedMeasurable(EpisodeOutcome e) => e.FinishedTreatment && Measurable(e);

        public static bool FinishedAtCaseness(EpisodeOutcome e) => FinishedMeasurable(e) && e.CasenessAtStart;

        public static bool Recovered(EpisodeOutcome e) => FinishedAtCaseness(e) && e.Recovered;

        public static bool ReliablyImproved(EpisodeOutcome e) => FinishedMeasurable(e) && e.ReliablyImproved;

        public static bool ReliablyDeteriorated(EpisodeOutcome e) => FinishedMeasurable(e) && e.ReliablyDeteriorated;

        public static bool ReliablyRecovered(EpisodeOutcome e) => FinishedAtCaseness(e) && e.ReliablyRecovered;
    }
}
