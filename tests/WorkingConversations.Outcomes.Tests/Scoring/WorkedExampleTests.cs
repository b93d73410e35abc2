using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

/// <summary>The worked example in docs/modules/outcomes.md ("Definitions"), so the document cannot drift from the code.</summary>
public class WorkedExampleTests
{
    private static readonly DateOnly EpisodeEnd = new(2026, 3, 20);

    [Fact]
    public void StartQuestionnaires()
    {
        var phq9 = ScoreOf(Instruments.Phq9, [2, 2, 2, 2, 1, 2, 1, 2, 1]);
        var gad7 = ScoreOf(Instruments.Gad7, [2, 1, 2, 1, 1, 1, 1]);
        var swemwbs = ScoreOf(Instruments.Swemwbs, [3, 3, 2, 3, 3, 2, 3]);
        var wsas = ScoreOf(Instruments.Wsas, [null, 4, 5, 3, 4]);
        var ucla3 = ScoreOf(Instruments.Ucla3, [2, 2, 3]);

        Assert.Equal((15m, "moderately-severe", true, true), (phq9.Total, phq9.Band, phq9.Caseness, phq9.RiskIndicated));
        Assert.Equal((9m, "mild", true), (gad7.Total, gad7.Band, gad7.Caseness));
        Assert.Equal((19m, 17.98m), (swemwbs.Total, swemwbs.Metric));
        Assert.Equal((20m, "significant", 0), (wsas.Total, wsas.Band, wsas.ImputedItem));
        Assert.Equal((7m, true), (ucla3.Total, ucla3.Lonely));
    }

    [Fact]
    public void EndQuestionnaires()
    {
        var phq9 = ScoreOf(Instruments.Phq9, [1, 1, 0, 1, 0, 1, 0, 1, 0]);
        var gad7 = ScoreOf(Instruments.Gad7, [1, 0, 1, 0, 1, 0, 0]);
        var swemwbs = ScoreOf(Instruments.Swemwbs, [4, 4, 3, 4, 3, 4, 3]);
        var wsas = ScoreOf(Instruments.Wsas, [null, 2, 2, 1, 2]);
        var ucla3 = ScoreOf(Instruments.Ucla3, [1, 2, 2]);
        var ons4 = ScoreOf(Instruments.Ons4, [7, 8, 6, 3]);

        Assert.Equal((5m, "mild", false, false), (phq9.Total, phq9.Band, phq9.Caseness, phq9.RiskIndicated));
        Assert.Equal((3m, "minimal", false), (gad7.Total, gad7.Band, gad7.Caseness));
        Assert.Equal((25m, 22.35m), (swemwbs.Total, swemwbs.Metric));
        Assert.Equal((8.75m, "subclinical"), (wsas.Total, wsas.Band));
        Assert.Equal((5m, false), (ucla3.Total, ucla3.Lonely));
        Assert.Equal(["high", "high", "medium", "low"], new[] { "lifeSatisfaction", "worthwhile", "happy", "anxiety" }.Select(k => ons4.Bands![k]));
        Assert.Equal(WellbeingChange.Improved, EpisodeClassification.ClassifyWellbeingChange(17.98m, 22.35m));
    }

    [Fact]
    public void EpisodeOutcomes()
    {
        var outcome = EpisodeClassification.Classify(new EpisodeFacts(FirstPhq9: 15, LastPhq9: 5, FirstGad7: 9, LastGad7: 3, AttendedConversations: 6, Ended: true,
            Phq9Questionnaires: 2, Gad7Questionnaires: 2));

        Assert.Equal(
            new EpisodeOutcomeFlags(FinishedTreatment: true, Measurable: true, CasenessAtStart: true, Recovered: true, ReliablyImproved: true,
                ReliablyDeteriorated: false, ReliablyRecovered: true, Phq9Change: -10, Gad7Change: -6),
            outcome);
    }

    [Fact]
    public void AfterTheEpisode()
    {
        FollowUpScores[] followUps =
        [
            new(new(2026, 4, 22), 7, 3),
            new(new(2026, 6, 18), 10, 6),
            new(new(2027, 3, 26), 6, 2),
        ];

        var outcome = FollowUpClassification.Classify(EpisodeEnd, endedInRecovery: true, lastPhq9: 5, lastGad7: 3, followUps);
        var checkIns = FollowUpClassification.CheckIns(EpisodeEnd, followUps.Select(f => f.Date), asOf: new DateOnly(2027, 4, 15));

        Assert.Equal(new FollowUpOutcome(false, false, true, null, null, new DateOnly(2027, 3, 26)), outcome);
        Assert.Equal(
            [CheckInStatus.Done, CheckInStatus.Done, CheckInStatus.Missed, CheckInStatus.Done],
            checkIns.Select(c => c.Status));

        // Had the 3-month PHQ-9 been 11, it would be at caseness and 6 above the episode's last score: a relapse.
        followUps[1] = followUps[1] with { Phq9 = 11 };
        var relapsed = FollowUpClassification.Classify(EpisodeEnd, true, 5, 3, followUps);
        Assert.True(relapsed.Relapsed);
        Assert.False(relapsed.SustainedRecovery);
    }

    [Fact]
    public void CohortCountsAndRates()
    {
        Assert.Equal(
            [40, 30, 20, 15, 10, 10, null, 10],
            new[] { 40, 31, 22, 17, 9, 12, 2, 8 }.Select(n => DisclosureControl.Count(n).Value));
        Assert.True(DisclosureControl.Count(2).Suppressed);

        Assert.Equal(new RatePair(0.529m, 0.225m), DisclosureControl.Rates(9, 17, 40));
        Assert.Equal(new RatePair(0.545m, 0.3m), DisclosureControl.Rates(12, 22, 40));
        Assert.Equal(new RatePair(null, null), DisclosureControl.Rates(2, 22, 40));
        Assert.Equal(new RatePair(0.471m, 0.2m), DisclosureControl.Rates(8, 17, 40));

        // A group of 6 referrals: every count from 1 to 7 is suppressed, and so is every rate over them.
        Assert.True(DisclosureControl.Count(6).Suppressed);
        Assert.Equal(new RatePair(null, null), DisclosureControl.Rates(0, 4, 6));
    }
}
