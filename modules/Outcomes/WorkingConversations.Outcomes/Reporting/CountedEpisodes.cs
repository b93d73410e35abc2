namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Which episode rows each count of the reports takes, as SQL over the duplicated columns of the episode outcome table,
/// once for every query that counts them: the monthly cells (<see cref="MonthlyRollup"/>), the summary's edge days, the
/// funnel and the relapse report. Each takes <c>r</c>, the row's alias with its dot (<c>new.</c>, <c>old.</c>) or
/// empty. Every outcome is counted among finished, measurable episodes (measures.md: an episode without paired
/// scores is left out of the <c>nhs</c> denominators, and so out of their numerators too).
/// </summary>
internal static class CountedEpisodes
{
    // A row written before the paired-scores rule has no "measurable" value until the projection is rebuilt: it counts
    // as the rules it was classified under counted it, rather than as not measurable (MonthlyRollup logs how many such
    // rows there are, and docs/modules/outcomes.md says to rebuild).
    private static string Measurable(string r) => $"{r}measurable is not false";

    public static string Finished(string r = "") => $"{r}finished_treatment";

    /// <summary>Finished without paired scores: not judged, so out of every <c>nhs</c> denominator.</summary>
    public static string NotMeasurable(string r = "") => $"({r}finished_treatment and not {Measurable(r)})";

    /// <summary>The <c>nhs</c> denominator of reliable improvement and deterioration.</summary>
    public static string FinishedMeasurable(string r = "") => $"({r}finished_treatment and {Measurable(r)})";

    /// <summary>The <c>nhs</c> denominator of recovery and reliable recovery.</summary>
    public static string FinishedAtCaseness(string r = "") => $"({FinishedMeasurable(r)} and {r}caseness_at_start)";

    /// <summary>Ended recovered: the <c>nhs</c> denominator of sustained recovery, relapse and recurrence.</summary>
    public static string Recovered(string r = "") => $"({FinishedAtCaseness(r)} and {r}recovered)";

    public static string ReliablyImproved(string r = "") => $"({FinishedMeasurable(r)} and {r}reliably_improved)";

    public static string ReliablyDeteriorated(string r = "") => $"({FinishedMeasurable(r)} and {r}reliably_deteriorated)";

    public static string ReliablyRecovered(string r = "") => $"({FinishedAtCaseness(r)} and {r}reliably_recovered)";
}
