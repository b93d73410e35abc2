using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class Ons4ScoringTests
{
    [Theory]
    [InlineData(0, "low")]
    [InlineData(4, "low")]
    [InlineData(5, "medium")]
    [InlineData(6, "medium")]
    [InlineData(7, "high")]
    [InlineData(8, "high")]
    [InlineData(9, "very-high")]
    [InlineData(10, "very-high")]
    public void LifeSatisfactionWorthwhileAndHappyShareOneBanding(int answer, string band)
    {
        var score = ScoreOf(Instruments.Ons4, [answer, answer, answer, 0]);

        Assert.Equal(band, score.Bands![Ons4Measures.LifeSatisfaction]);
        Assert.Equal(band, score.Bands[Ons4Measures.Worthwhile]);
        Assert.Equal(band, score.Bands[Ons4Measures.Happy]);
    }

    [Theory]
    [InlineData(0, "very-low")]
    [InlineData(1, "very-low")]
    [InlineData(2, "low")]
    [InlineData(3, "low")]
    [InlineData(4, "medium")]
    [InlineData(5, "medium")]
    [InlineData(6, "high")]
    [InlineData(10, "high")]
    public void AnxietyIsBandedInReverseSense(int answer, string band)
    {
        var score = ScoreOf(Instruments.Ons4, [10, 10, 10, answer]);

        Assert.Equal(band, score.Bands![Ons4Measures.Anxiety]);
    }

    [Fact]
    public void TheFourMeasuresAreReportedSeparatelyNeverSummed()
    {
        var score = ScoreOf(Instruments.Ons4, [3, 6, 9, 2]);

        Assert.Null(score.Total);
        Assert.Null(score.Band);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["lifeSatisfaction"] = "low",
                ["worthwhile"] = "medium",
                ["happy"] = "very-high",
                ["anxiety"] = "low",
            },
            score.Bands);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(-1)]
    public void AnAnswerOutsideZeroToTenIsRejected(int bad)
    {
        var errors = ErrorsOf(Instruments.Ons4, [5, bad, 5, 5]);

        Assert.Contains("from 0 to 10", Assert.Single(errors["answers[1]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingAnswerIsRejected()
    {
        var errors = ErrorsOf(Instruments.Ons4, [5, 5, 5, null]);

        Assert.Equal("answers[3]", Assert.Single(errors).Key);
    }

    [Fact]
    public void AWrongNumberOfAnswersIsRejected()
    {
        var errors = ErrorsOf(Instruments.Ons4, [5, 5, 5, 5, 5]);

        Assert.Contains("exactly 4 answers", Assert.Single(errors["answers"]), StringComparison.Ordinal);
    }
}
