using System.Globalization;
using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class WsasScoringTests
{
    [Theory]
    [InlineData(0, "subclinical")]
    [InlineData(9, "subclinical")]
    [InlineData(10, "significant")]
    [InlineData(11, "significant")]
    [InlineData(19, "significant")]
    [InlineData(20, "significant")]
    [InlineData(21, "moderately-severe-or-worse")]
    [InlineData(40, "moderately-severe-or-worse")]
    public void TotalAndBandFollowThePublishedThresholds(int total, string band)
    {
        var score = ScoreOf(Instruments.Wsas, AnswersFor(Instruments.Wsas, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Band);
        Assert.Null(score.ImputedItem);
        Assert.Null(score.Caseness);
    }

    [Fact]
    public void OneMissingItemTakesTheMeanOfTheOtherFour()
    {
        var score = ScoreOf(Instruments.Wsas, [1, 2, null, 4, 4]);

        // 11 given; the missing item takes 11 / 4 = 2.75.
        Assert.Equal(13.75m, score.Total);
        Assert.Equal("significant", score.Band);
        Assert.Equal(2, score.ImputedItem);
    }

    [Fact]
    public void ANotApplicableWorkItemTakesTheMeanOfTheOtherFour()
    {
        var score = ScoreOf(Instruments.Wsas, [null, 2, 3, 4, 5]);

        Assert.Equal(17.5m, score.Total);
        Assert.Equal(Instruments.WsasWorkItemIndex, score.ImputedItem);
    }

    [Theory]
    [InlineData(7, 8.75, "subclinical")]
    [InlineData(8, 10, "significant")]
    [InlineData(16, 20, "significant")]
    [InlineData(17, 21.25, "moderately-severe-or-worse")]
    public void AProratedTotalIsBandedAgainstThePublishedBounds(int given, double total, string band)
    {
        var answers = AnswersFor(Instruments.Wsas, given);
        Assert.Equal(0, answers[4]);
        answers[4] = null;

        var score = ScoreOf(Instruments.Wsas, answers);

        Assert.Equal((decimal)total, score.Total);
        Assert.Equal(band, score.Band);
    }

    [Theory]
    [InlineData(9.75, "subclinical")]
    [InlineData(10, "significant")]
    [InlineData(20, "significant")]
    [InlineData(20.25, "moderately-severe-or-worse")]
    public void FractionalTotalsAreBandedAsPublished(double total, string band) =>
        Assert.Equal(band, QuestionnaireScoring.WsasBand((decimal)total));

    [Fact]
    public void TheMeanKeepsTwoDecimalPlaces()
    {
        var score = ScoreOf(Instruments.Wsas, [8, 8, 8, 7, null]);

        Assert.Equal(38.75m, score.Total);
        Assert.Equal("38.75", score.Total!.Value.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TwoMissingItemsAreRejectedNamingBoth()
    {
        var errors = ErrorsOf(Instruments.Wsas, [null, 2, 3, null, 5]);

        Assert.Equal(["answers[0]", "answers[3]"], errors.Keys);
        foreach (var message in errors.Values.Select(Assert.Single))
        {
            Assert.Contains("answers[0] and answers[3] are missing", message, StringComparison.Ordinal);
            Assert.Contains("from 0 to 8", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThreeMissingItemsAreEachNamed()
    {
        var errors = ErrorsOf(Instruments.Wsas, [1, null, null, 3, null]);

        Assert.Equal(["answers[1]", "answers[2]", "answers[4]"], errors.Keys);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(-1)]
    public void AnOutOfRangeAnswerIsRejectedEvenBesideOneToleratedGap(int bad)
    {
        var errors = ErrorsOf(Instruments.Wsas, [null, 2, bad, 4, 5]);

        var error = Assert.Single(errors);
        Assert.Equal("answers[2]", error.Key);
        Assert.Contains("from 0 to 8", Assert.Single(error.Value), StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongNumberOfAnswersIsRejected()
    {
        var errors = ErrorsOf(Instruments.Wsas, [1, 2, 3, 4]);

        Assert.Contains("exactly 5 answers", Assert.Single(errors["answers"]), StringComparison.Ordinal);
    }
}
