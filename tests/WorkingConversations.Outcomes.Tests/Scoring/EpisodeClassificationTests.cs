using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class EpisodeClassificationTests
{
    /// <summary>An episode with a questionnaire for each score given: a first and a last are two questionnaires, one of them alone is one.</summary>
    private static EpisodeOutcomeFlags Classify(int? firstPhq9, int? lastPhq9, int? firstGad7, int? lastGad7, int attended = 4, bool ended = true) =>
        EpisodeClassification.Classify(new EpisodeFacts(firstPhq9, lastPhq9, firstGad7, lastGad7, attended, ended,
            Questionnaires(firstPhq9, lastPhq9), Questionnaires(firstGad7, lastGad7)));

    private static int Questionnaires(int? first, int? last) => (first is null ? 0 : 1) + (last is null ? 0 : 1);

    [Theory]
    [InlineData(2, true, true)]
    [InlineData(5, true, true)]
    [InlineData(1, true, false)]
    [InlineData(0, true, false)]
    [InlineData(6, false, false)]
    public void FinishedTreatmentNeedsAnEndedEpisodeWithTwoAttendedConversations(int attended, bool ended, bool finished) =>
        Assert.Equal(finished, Classify(12, 4, 9, 3, attended, ended).FinishedTreatment);

    [Theory]
    [InlineData(10, 0, true)]
    [InlineData(9, 7, false)]
    [InlineData(9, 8, true)]
    [InlineData(0, 21, true)]
    public void CasenessAtStartIsFirstPhq9AtLeastTenOrFirstGad7AtLeastEight(int firstPhq9, int firstGad7, bool caseness) =>
        Assert.Equal(caseness, Classify(firstPhq9, firstPhq9, firstGad7, firstGad7).CasenessAtStart);

    [Theory]
    [InlineData(15, 9, 12, 7, true)]
    [InlineData(15, 10, 12, 7, false)]
    [InlineData(15, 9, 12, 8, false)]
    [InlineData(9, 5, 7, 2, false)]
    [InlineData(10, 9, 7, 7, true)]
    public void RecoveryIsCasenessAtStartAndBelowBothThresholdsAtTheEnd(int firstPhq9, int lastPhq9, int firstGad7, int lastGad7, bool recovered) =>
        Assert.Equal(recovered, Classify(firstPhq9, lastPhq9, firstGad7, lastGad7).Recovered);

    [Fact]
    public void AnEpisodeScoredOnOneInstrumentIsNotMeasurableAndNeverRecovers()
    {
        // measures.md ("Paired scores"): a missing GAD-7 is never read as "below caseness".
        var phq9Only = Classify(14, 6, null, null);
        var gad7Only = Classify(null, null, 11, 5);

        Assert.False(phq9Only.Measurable);
        Assert.True(phq9Only.CasenessAtStart);
        Assert.False(phq9Only.Recovered);
        Assert.False(phq9Only.ReliablyImproved);
        Assert.False(phq9Only.ReliablyRecovered);
        Assert.False(gad7Only.Measurable);
        Assert.True(gad7Only.CasenessAtStart);
        Assert.False(gad7Only.Recovered);
        Assert.False(gad7Only.ReliablyImproved);
    }

    [Fact]
    public void NeitherInstrumentRecordedMeansNoCasenessAndNoOutcome()
    {
        var outcome = Classify(null, null, null, null);

        Assert.Equal(new EpisodeOutcomeFlags(FinishedTreatment: true, Measurable: false, CasenessAtStart: false, Recovered: false, ReliablyImproved: false,
            ReliablyDeteriorated: false, ReliablyRecovered: false, Phq9Change: null, Gad7Change: null), outcome);
    }

    [Fact]
    public void ASingleRecordingIsBothFirstAndLast()
    {
        // Last observation carried forward: one score of 12 means the person is still at caseness at the end.
        var onlyFirst = Classify(12, null, null, null);
        var onlyLast = Classify(null, 12, null, null);

        Assert.True(onlyFirst.CasenessAtStart);
        Assert.False(onlyFirst.Recovered);
        Assert.Equal(0, onlyFirst.Phq9Change);
        Assert.Equal(onlyFirst, onlyLast);
    }

    [Theory]
    [InlineData(16, 10, 5, 5, true)]
    [InlineData(16, 11, 5, 5, false)]
    [InlineData(5, 5, 12, 8, true)]
    [InlineData(5, 5, 12, 9, false)]
    [InlineData(16, 10, 12, 9, true)]
    public void ReliableImprovementIsAFallOfSixOnPhq9OrFourOnGad7(int firstPhq9, int lastPhq9, int firstGad7, int lastGad7, bool improved) =>
        Assert.Equal(improved, Classify(firstPhq9, lastPhq9, firstGad7, lastGad7).ReliablyImproved);

    [Theory]
    [InlineData(16, 10, 4, 8, false)] // PHQ-9 fell by 6 but GAD-7 rose by 4.
    [InlineData(16, 10, 4, 7, true)] // GAD-7 rose by only 3.
    [InlineData(4, 10, 12, 8, false)] // GAD-7 fell by 4 but PHQ-9 rose by 6.
    [InlineData(4, 9, 12, 8, true)] // PHQ-9 rose by only 5.
    public void ReliableImprovementNeedsNeitherMeasureToHaveRisenReliably(int firstPhq9, int lastPhq9, int firstGad7, int lastGad7, bool improved)
    {
        var outcome = Classify(firstPhq9, lastPhq9, firstGad7, lastGad7);

        Assert.Equal(improved, outcome.ReliablyImproved);
        Assert.False(outcome.ReliablyDeteriorated && outcome.ReliablyImproved);
    }

    [Theory]
    [InlineData(4, 10, 5, 5, true)]
    [InlineData(4, 9, 5, 5, false)]
    [InlineData(5, 5, 3, 7, true)]
    [InlineData(5, 5, 3, 6, false)]
    [InlineData(10, 4, 3, 7, false)] // GAD-7 rose by 4 but PHQ-9 fell by 6.
    [InlineData(9, 4, 3, 7, true)] // PHQ-9 fell by only 5.
    [InlineData(4, 10, 12, 8, false)] // PHQ-9 rose by 6 but GAD-7 fell by 4.
    [InlineData(4, 10, 11, 8, true)] // GAD-7 fell by only 3.
    public void ReliableDeteriorationMirrorsImprovement(int firstPhq9, int lastPhq9, int firstGad7, int lastGad7, bool deteriorated) =>
        Assert.Equal(deteriorated, Classify(firstPhq9, lastPhq9, firstGad7, lastGad7).ReliablyDeteriorated);

    [Fact]
    public void WithoutPairedScoresNoReliableChangeIsJudged()
    {
        Assert.False(Classify(18, 8, null, null).ReliablyImproved);
        Assert.False(Classify(null, null, 3, 9).ReliablyDeteriorated);
        Assert.False(Classify(18, 8, 9, null).ReliablyImproved);   // one GAD-7: no pair
    }

    [Theory]
    [InlineData(16, 9, 9, 5, true, true, true)] // Recovered and PHQ-9 fell by 7.
    [InlineData(12, 9, 9, 6, true, false, false)] // Recovered, but no change reached the reliable amount.
    [InlineData(20, 12, 9, 5, false, true, false)] // Reliably improved but PHQ-9 still at caseness.
    [InlineData(8, 2, 6, 2, false, true, false)] // Reliably improved, never at caseness.
    public void ReliableRecoveryIsRecoveryAndReliableImprovement(
        int firstPhq9, int lastPhq9, int firstGad7, int lastGad7, bool recovered, bool improved, bool reliablyRecovered)
    {
        var outcome = Classify(firstPhq9, lastPhq9, firstGad7, lastGad7);

        Assert.Equal(recovered, outcome.Recovered);
        Assert.Equal(improved, outcome.ReliablyImproved);
        Assert.Equal(reliablyRecovered, outcome.ReliablyRecovered);
    }

    [Fact]
    public void ChangesAreLastMinusFirst()
    {
        var outcome = Classify(15, 5, 9, 3);

        Assert.Equal(-10, outcome.Phq9Change);
        Assert.Equal(-6, outcome.Gad7Change);
    }

    [Fact]
    public void ThresholdsAreSettings()
    {
        var strict = new OutcomeThresholds { Phq9Caseness = 12, Phq9ReliableChange = 8, FinishedTreatmentConversations = 3 };

        var outcome = EpisodeClassification.Classify(new EpisodeFacts(11, 4, 5, 5, 2, true, 2, 2), strict);

        Assert.False(outcome.CasenessAtStart);
        Assert.False(outcome.ReliablyImproved);
        Assert.False(outcome.FinishedTreatment);
        Assert.True(EpisodeClassification.Classify(new EpisodeFacts(11, 4, 5, 5, 2, true, 2, 2)).ReliablyImproved);
    }

    [Fact]
    public void TheDefaultsAreThePublishedValues()
    {
        var t = OutcomeThresholds.Default;

        Assert.Equal((10, 8, 6, 4, 3m, 2), (t.Phq9Caseness, t.Gad7Caseness, t.Phq9ReliableChange, t.Gad7ReliableChange, t.SwemwbsMeaningfulChange, t.FinishedTreatmentConversations));
    }

    [Theory]
    [InlineData(17.98, 22.35, "improved")]
    [InlineData(17.43, 20.73, "improved")] // Up 3.30.
    [InlineData(18.59, 21.54, "no-meaningful-change")] // Up 2.95.
    [InlineData(20.00, 23.00, "improved")] // Exactly 3.
    [InlineData(23.00, 20.00, "deteriorated")] // Exactly -3.
    [InlineData(21.54, 18.59, "no-meaningful-change")]
    [InlineData(24.11, 19.98, "deteriorated")]
    [InlineData(19.25, 19.25, "no-meaningful-change")]
    public void SwemwbsMeaningfulChangeIsThreeMetricPoints(double first, double last, string change) =>
        Assert.Equal(change, EpisodeClassification.ClassifyWellbeingChange((decimal)first, (decimal)last));

    [Fact]
    public void SwemwbsChangeThresholdIsASettingAndNeedsBothScores()
    {
        var lenient = new OutcomeThresholds { SwemwbsMeaningfulChange = 1m };

        Assert.Equal(WellbeingChange.Improved, EpisodeClassification.ClassifyWellbeingChange(18.59m, 19.98m, lenient));
        Assert.Equal(WellbeingChange.NoMeaningfulChange, EpisodeClassification.ClassifyWellbeingChange(18.59m, 19.98m));
        Assert.Null(EpisodeClassification.ClassifyWellbeingChange(null, 19.98m));
        Assert.Null(EpisodeClassification.ClassifyWellbeingChange(18.59m, null));
    }
}
