using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

/// <summary>measures.md ("Paired scores"): outcomes are judged only with a first and a last score on both PHQ-9 and GAD-7.</summary>
public sealed class PairedScoresTests
{
    // A recovery on both instruments, if it were judged.
    private static EpisodeOutcomeFlags Recovery(int phq9Questionnaires, int gad7Questionnaires, decimal? firstGad7 = 9, decimal? lastGad7 = 3) =>
        EpisodeClassification.Classify(new EpisodeFacts(15, 5, firstGad7, lastGad7, 3, true, phq9Questionnaires, gad7Questionnaires));

    [Theory]
    [InlineData(1, 2, false)]
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(3, 2, true)]
    [InlineData(0, 2, false)]
    [InlineData(2, 0, false)]
    public void PairedScoresNeedTwoQuestionnairesOfEachInstrument(int phq9, int gad7, bool measurable)
    {
        var flags = Recovery(phq9, gad7);

        Assert.Equal(measurable, flags.Measurable);
        Assert.Equal(measurable, flags.Recovered);
        Assert.Equal(measurable, flags.ReliablyImproved);
        Assert.Equal(measurable, flags.ReliablyRecovered);
    }

    [Fact]
    public void AMissingGad7IsNeverReadAsBelowCaseness()
    {
        // At caseness on PHQ-9 at the start, below it at the end, and no GAD-7: not recovered, because GAD-7 might be.
        var flags = Recovery(2, 0, firstGad7: null, lastGad7: null);

        Assert.False(flags.Measurable);
        Assert.True(flags.CasenessAtStart);
        Assert.False(flags.Recovered);
    }

    [Fact]
    public void ReliableDeteriorationIsNotJudgedWithoutPairedScores()
    {
        var unpaired = EpisodeClassification.Classify(new EpisodeFacts(4, 12, 3, 9, 3, true, 2, 1));
        var paired = EpisodeClassification.Classify(new EpisodeFacts(4, 12, 3, 9, 3, true, 2, 2));

        Assert.False(unpaired.ReliablyDeteriorated);
        Assert.True(paired.ReliablyDeteriorated);
    }

    [Fact]
    public void AFinishedEpisodeWithoutPairedScoresIsStillFinished()
    {
        var flags = Recovery(1, 1);

        Assert.True(flags.FinishedTreatment);
        Assert.False(flags.Measurable);
    }
}
