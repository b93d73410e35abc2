using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class Gad7ScoringTests
{
    [Theory]
    [InlineData(0, "minimal", false)]
    [InlineData(4, "minimal", false)]
    [InlineData(5, "mild", false)]
    [InlineData(7, "mild", false)]
    [InlineData(8, "mild", true)]
    [InlineData(9, "mild", true)]
    [InlineData(10, "moderate", true)]
    [InlineData(14, "moderate", true)]
    [InlineData(15, "severe", true)]
    [InlineData(21, "severe", true)]
    public void TotalBandAndCasenessFollowThePublishedThresholds(int total, string band, bool caseness)
    {
        var score = ScoreOf(Instruments.Gad7, AnswersFor(Instruments.Gad7, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Band);
        Assert.Equal(caseness, score.Caseness);
        Assert.Null(score.RiskIndicated);
        Assert.Null(score.Metric);
    }

    [Fact]
    public void AMissingAnswerIsRejected()
    {
        var errors = ErrorsOf(Instruments.Gad7, [null, 1, 1, 1, 1, 1, 1]);

        Assert.Equal("answers[0]", Assert.Single(errors).Key);
        Assert.Contains("0 to 3", Assert.Single(errors["answers[0]"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void AnOutOfRangeAnswerIsRejected(int bad)
    {
        var errors = ErrorsOf(Instruments.Gad7, [1, 1, 1, 1, 1, 1, bad]);

        Assert.Equal("answers[6]", Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(9)]
    public void AWrongNumberOfAnswersIsRejected(int count)
    {
        var errors = ErrorsOf(Instruments.Gad7, Enumerable.Repeat<int?>(0, count).ToArray());

        Assert.Contains("exactly 7 answers", Assert.Single(Assert.Single(errors, e => e.Key == "answers").Value), StringComparison.Ordinal);
    }
}
