using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class Phq9ScoringTests
{
    [Theory]
    [InlineData(0, "minimal", false)]
    [InlineData(4, "minimal", false)]
    [InlineData(5, "mild", false)]
    [InlineData(9, "mild", false)]
    [InlineData(10, "moderate", true)]
    [InlineData(14, "moderate", true)]
    [InlineData(15, "moderately-severe", true)]
    [InlineData(19, "moderately-severe", true)]
    [InlineData(20, "severe", true)]
    [InlineData(27, "severe", true)]
    public void TotalBandAndCasenessFollowThePublishedThresholds(int total, string band, bool caseness)
    {
        var score = ScoreOf(Instruments.Phq9, AnswersFor(Instruments.Phq9, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Band);
        Assert.Equal(caseness, score.Caseness);
        Assert.Null(score.Metric);
        Assert.Null(score.Bands);
        Assert.Null(score.Lonely);
    }

    [Fact]
    public void TheTotalIsTheSumOfTheItems()
    {
        var score = ScoreOf(Instruments.Phq9, [3, 0, 2, 1, 3, 0, 1, 2, 0]);

        Assert.Equal(12m, score.Total);
        Assert.Equal("moderate", score.Band);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void ItemNineAboveZeroRaisesARiskIndicationWhateverTheTotal(int itemNine, bool risk)
    {
        var score = ScoreOf(Instruments.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, itemNine]);

        Assert.Equal(risk, score.RiskIndicated);
        Assert.Equal("minimal", score.Band);
    }

    [Fact]
    public void AHighTotalWithoutItemNineRaisesNoRisk()
    {
        var score = ScoreOf(Instruments.Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0]);

        Assert.Equal(24m, score.Total);
        Assert.False(score.RiskIndicated);
    }

    [Fact]
    public void AMissingAnswerIsRejectedNamingTheItemAndTheRange()
    {
        var errors = ErrorsOf(Instruments.Phq9, [1, 1, 1, null, 1, 1, 1, 1, 1]);

        var message = Assert.Single(Assert.Single(errors, e => e.Key == "answers[3]").Value);
        Assert.Contains("0 to 3", message, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void AnOutOfRangeAnswerIsRejectedNamingTheItemAndTheRange(int bad)
    {
        var errors = ErrorsOf(Instruments.Phq9, [1, 1, 1, 1, 1, 1, 1, 1, bad]);

        var message = Assert.Single(Assert.Single(errors).Value);
        Assert.Equal("answers[8]", Assert.Single(errors).Key);
        Assert.Contains("from 0 to 3", message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFailingItemIsReportedAtOnceInItemOrder()
    {
        var errors = ErrorsOf(Instruments.Phq9, [1, 7, 1, 1, null, 1, 1, 1, -2]);

        Assert.Equal(["answers[1]", "answers[4]", "answers[8]"], errors.Keys);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(0)]
    public void AWrongNumberOfAnswersIsRejectedOnTheAnswersField(int count)
    {
        var errors = ErrorsOf(Instruments.Phq9, Enumerable.Repeat<int?>(1, count).ToArray());

        var error = Assert.Single(errors);
        Assert.Equal("answers", error.Key);
        Assert.Contains("exactly 9 answers", Assert.Single(error.Value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(28)]
    public void ABandOutsideTheScaleIsAProgrammingError(int total) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QuestionnaireScoring.Phq9Band(total));
}
