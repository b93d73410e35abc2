using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Reporting;

/// <summary>Which episodes each published rate is over (measures.md), with disclosure control off so the counts are exact.</summary>
public sealed class DenominatorTests
{
    private static readonly DisclosureSettings Exact = new() { SuppressFrom = 1, SuppressTo = 0, RoundTo = 1 };
    private static readonly ReportQuery Period = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), null, null);

    [Fact]
    public void Not_measurable_episodes_are_counted_apart_and_left_out_of_the_nhs_denominators_but_not_out_of_all_referrals()
    {
        // 40 referrals; 22 finished, of which 2 have no paired scores; 17 of the 20 measurable at caseness; 9 recovered.
        var g = GetSummary.Decide(new OutcomeQueries.SummaryCounts("all", 40, 31, 22, 2, 17, 9, 10, 1, 8), Exact);

        Assert.Equal((22, 2, 17), (g.Finished.Value, g.NotMeasurable.Value, g.FinishedAtCaseness.Value));
        Assert.Equal(new RatePair(0.529m, 0.225m), g.RecoveryRate);                // 9 / 17, 9 / 40
        Assert.Equal(new RatePair(0.5m, 0.25m), g.ReliableImprovementRate);        // 10 / (22 - 2), 10 / 40
        Assert.Equal(new RatePair(0.05m, 0.025m), g.ReliableDeteriorationRate);    // 1 / 20, 1 / 40
        Assert.Equal(new RatePair(0.471m, 0.2m), g.ReliableRecoveryRate);          // 8 / 17, 8 / 40
    }

    [Fact]
    public void Sustained_recovery_and_relapse_are_over_the_episodes_that_ended_recovered_and_returned_over_every_ended_episode()
    {
        var after = new StayingWell.Counts(Referrals: 50, Ended: 30, Recovered: 10, Sustained: 4, Relapsed: 5, Recurred: 1, Returned: 6);

        var f = StayingWell.Publish(after, Exact);

        Assert.Equal(new RatePair(0.4m, 0.08m), f.SustainedRecoveryRate);   // 4 / 10, 4 / 50
        Assert.Equal(new RatePair(0.5m, 0.1m), f.RelapseRate);              // 5 / 10, 5 / 50
        Assert.Equal(new RatePair(0.1m, 0.02m), f.RecurrenceRate);
        Assert.Equal(new RatePair(0.2m, 0.12m), f.ReturnRate);              // 6 / 30 ended, 6 / 50
    }

    [Fact]
    public void The_funnel_and_the_relapse_report_publish_the_same_sustained_recovery()
    {
        var after = new StayingWell.Counts(Referrals: 50, Ended: 30, Recovered: 10, Sustained: 4, Relapsed: 5, Recurred: 1, Returned: 6);
        // Finished at caseness (12) differs from recovered (10): the old funnel divided by it.
        var funnel = GetFunnel.Decide(Period, new OutcomeQueries.FunnelCounts(50, 40, 35, 25, 3, 12, 10), after, Exact);
        var relapse = GetRelapse.Decide(Period, new OutcomeQueries.RelapseCounts(25, 3, 60, 40, 10), after, Exact);

        Assert.Equal(relapse.SustainedRecoveryRate, funnel.SustainedRecoveryRate);
        Assert.Equal(new RatePair(0.4m, 0.08m), funnel.SustainedRecoveryRate);
        Assert.Equal(relapse.Sustained, funnel.SustainedAt12Months);
        Assert.Equal(relapse.RecoveredAtEnd, funnel.Recovered);
        Assert.Equal((30, 3), (relapse.Ended.Value, relapse.NotMeasurable.Value));
        Assert.Equal(0.8m, relapse.FollowUpCompletion);
    }

    [Fact]
    public void An_export_row_leaves_unjudged_outcomes_empty_and_carries_the_connection_transitions()
    {
        var start = new CircumstancesSnapshot("start", "insecure", "unemployed-seeking-work", "usually-cannot", false, true, DateTimeOffset.UnixEpoch);
        var end = start with { Timepoint = "end", HasSomeoneToTurnTo = true, TakesPartInCommunity = false };
        var followUp = start with { Timepoint = "follow-up", Housing = "secure", Money = "meets-basic-needs", HasSomeoneToTurnTo = true };
        var o = new EpisodeOutcome
        {
            Id = "x", PartnerId = Guid.CreateVersion7(), ReceivedAt = DateTimeOffset.UnixEpoch, Measurable = false, CasenessAtStart = false,
            Phq9First = new ScorePoint(8, DateTimeOffset.UnixEpoch), Phq9Last = new ScorePoint(4, DateTimeOffset.UnixEpoch),
            CircumstancesAtStart = start, CircumstancesAtEnd = end,
            StartToEnd = CircumstanceTransitions.Between(start, end), StartToLatestFollowUp = CircumstanceTransitions.Between(start, followUp),
        };

        var row = ExportEpisodes.Columns.Zip(ExportEpisodes.Row(1, o).Split(',')).ToDictionary(p => p.First, p => p.Second);

        Assert.Equal(ExportEpisodes.Columns.Length, ExportEpisodes.Row(1, o).Split(',').Length);
        Assert.Equal("0", row["paired_scores"]);
        foreach (var unjudged in new[] { "caseness_at_start", "recovered", "reliably_improved", "reliably_deteriorated", "reliably_recovered" })
            Assert.Equal("", row[unjudged]);
        Assert.Equal(("gained", "gained"), (row["someone_to_turn_to_start_to_end"], row["someone_to_turn_to_start_to_latest_follow_up"]));
        Assert.Equal(("lost", "stayed-good"), (row["community_start_to_end"], row["community_start_to_latest_follow_up"]));
        Assert.Equal(("gained", "gained"), (row["secure_housing_start_to_latest_follow_up"], row["meets_basic_needs_start_to_latest_follow_up"]));

        var judged = ExportEpisodes.Columns.Zip(ExportEpisodes.Row(1, o with { Measurable = true }).Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("1", "0"), (judged["paired_scores"], judged["recovered"]));
    }
}
