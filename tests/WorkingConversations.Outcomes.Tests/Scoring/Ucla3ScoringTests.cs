using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class Ucla3ScoringTests
{
    [Theory]
    [InlineData(3, false)]
    [InlineData(5, false)]
    [InlineData(6, true)]
    [InlineData(7, true)]
    [InlineData(9, true)]
    public void ATotalOfSixOrMoreIsLonely(int total, bool lonely)
    {
        var score = ScoreOf(Instruments.Ucla3, AnswersFor(Instruments.Ucla3, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(lonely, score.Lonely);
        Assert.Null(score.Band);
        Assert.Null(score.Caseness);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void AnAnswerOutsideOneToThreeIsRejected(int bad)
    {
        var errors = ErrorsOf(Instruments.Ucla3, [bad, 2, 2]);

        Assert.Contains("from 1 to 3", Assert.Single(errors["answers[0]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingAnswerIsRejected()
    {
        var errors = ErrorsOf(Instruments.Ucla3, [2, null, 2]);

        Assert.Equal("answers[1]", Assert.Single(errors).Key);
    }

    [Fact]
    public void AWrongNumberOfAnswersIsRejected()
    {
        var errors = ErrorsOf(Instruments.Ucla3, [2, 2]);

        Assert.Equal("answers", Assert.Single(errors).Key);
    }
}
