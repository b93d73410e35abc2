using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Reporting;

public sealed class ReportingRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    [Fact]
    public void Without_dates_the_period_is_the_twelve_months_up_to_today()
    {
        var (q, problem) = ReportQuery.Parse(null, null, null, null, Today, grouping: true);
        Assert.Null(problem);
        Assert.Equal((new DateOnly(2025, 11, 30), Today), (q!.From, q.To));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), q.ToExclusive);
    }

    [Fact]
    public void With_only_a_start_the_period_runs_twelve_months_from_it()
    {
        var (q, _) = ReportQuery.Parse("2026-01-01", null, null, null, Today, grouping: false);
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)), (q!.From, q.To));
    }

    [Theory]
    [InlineData("2026-02-30", null, null, null, "from")]
    [InlineData(null, "31/01/2026", null, null, "to")]
    [InlineData(null, null, "nope", null, "partnerId")]
    [InlineData(null, null, null, "Month", "groupBy")]
    [InlineData("2026-03-01", "2026-02-28", null, null, "from")]
    public void A_bad_parameter_is_named(string? from, string? to, string? partner, string? groupBy, string field)
    {
        var (q, problem) = ReportQuery.Parse(from, to, partner, groupBy, Today, grouping: true);
        Assert.Null(q);
        Assert.Contains(field, problem!.ProblemDetails.Errors.Keys);
    }

    [Fact]
    public void The_worked_example_cohort_shows_rounded_counts_and_rates_from_the_true_counts()
    {
        var g = GetSummary.Decide(new OutcomeQueries.SummaryCounts("all", 40, 31, 22, 0, 17, 9, 12, 2, 8), DisclosureSettings.Default);
        Assert.Equal((40, 30, 20, 15, 10, 10, 10), (g.Referrals.Value, g.Accepted.Value, g.Finished.Value, g.FinishedAtCaseness.Value, g.Recovered.Value, g.ReliablyImproved.Value, g.ReliablyRecovered.Value));
        Assert.True(g.ReliablyDeteriorated.Suppressed);
        Assert.Equal(new RatePair(0.529m, 0.225m), g.RecoveryRate);
        Assert.Equal(new RatePair(0.545m, 0.3m), g.ReliableImprovementRate);
        Assert.Equal(new RatePair(null, null), g.ReliableDeteriorationRate);
        Assert.Equal(new RatePair(0.471m, 0.2m), g.ReliableRecoveryRate);
    }

    [Fact]
    public void A_waiting_time_of_a_suppressed_group_is_suppressed_with_it()
    {
        Assert.Null(GetWaitingTimes.Decide(new OutcomeQueries.WaitingStats(5, 3.0, 9.0), DisclosureSettings.Default).MedianDays);
        var shown = GetWaitingTimes.Decide(new OutcomeQueries.WaitingStats(12, 3.04, 9.96), DisclosureSettings.Default);
        Assert.Equal((10, 3.0m, 10.0m), (shown.Episodes.Value, shown.MedianDays, shown.P90Days));
    }

    [Fact]
    public void An_export_row_has_a_value_for_every_column_and_coarsens_dates_to_months()
    {
        var o = new EpisodeOutcome
        {
            Id = "x", PartnerId = Guid.CreateVersion7(), AgeBand = "25-34", ReceivedAt = new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.Zero),
            AcceptedAt = new DateTimeOffset(2026, 4, 3, 9, 0, 0, TimeSpan.Zero), EndReason = "goals-reached",
        };
        var values = ExportEpisodes.Row(7, o).Split(',');
        Assert.Equal(ExportEpisodes.Columns.Length, values.Length);
        var row = ExportEpisodes.Columns.Zip(values).ToDictionary(p => p.First, p => p.Second);
        // 2.4 days elapsed: whole days, rounded down, as the waiting-time report counts them.
        Assert.Equal(("7", "2026-03", "25-34", "2"), (row["row"], row["received_month"], row["age_band"], row["days_received_to_accepted"]));
        Assert.DoesNotContain("2026-03-31", ExportEpisodes.Row(7, o), StringComparison.Ordinal);
    }
}
