using WorkingConversations.Outcomes.Scoring;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class SwemwbsScoringTests
{
    // Copied independently from measures.md (Warwick Medical School conversion table), not from the code under test.
    public static TheoryData<int, decimal> WarwickTable { get; } = new()
    {
        { 7, 7.00m }, { 8, 9.51m }, { 9, 11.25m }, { 10, 12.40m }, { 11, 13.33m }, { 12, 14.08m }, { 13, 14.75m },
        { 14, 15.32m }, { 15, 15.84m }, { 16, 16.36m }, { 17, 16.88m }, { 18, 17.43m }, { 19, 17.98m }, { 20, 18.59m },
        { 21, 19.25m }, { 22, 19.98m }, { 23, 20.73m }, { 24, 21.54m }, { 25, 22.35m }, { 26, 23.21m }, { 27, 24.11m },
        { 28, 25.03m }, { 29, 26.02m }, { 30, 27.03m }, { 31, 28.13m }, { 32, 29.31m }, { 33, 30.70m }, { 34, 32.55m },
        { 35, 35.00m },
    };

    [Theory]
    [MemberData(nameof(WarwickTable))]
    public void EveryRawTotalConvertsToItsMetricScore(int raw, decimal metric)
    {
        var score = ScoreOf(Instruments.Swemwbs, AnswersFor(Instruments.Swemwbs, raw));

        Assert.Equal(raw, score.Total);
        Assert.Equal(metric, score.Metric);
        Assert.Equal(metric, QuestionnaireScoring.SwemwbsMetric(raw));
    }

    [Fact]
    public void TheTableHasExactlyOneValueForEachRawTotal()
    {
        Assert.Equal(29, WarwickTable.Count);
        Assert.Equal(29, QuestionnaireScoring.SwemwbsMetricTable.Count);
    }

    [Fact]
    public void ItemOrderDoesNotChangeTheScore()
    {
        var score = ScoreOf(Instruments.Swemwbs, [1, 5, 2, 4, 3, 3, 2]);

        Assert.Equal(20m, score.Total);
        Assert.Equal(18.59m, score.Metric);
        Assert.Null(score.Band);
        Assert.Null(score.Caseness);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void AnAnswerOutsideOneToFiveIsRejected(int bad)
    {
        var errors = ErrorsOf(Instruments.Swemwbs, [3, 3, bad, 3, 3, 3, 3]);

        Assert.Contains("from 1 to 5", Assert.Single(errors["answers[2]"]), StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Fact]
    public void AMissingAnswerIsRejected()
    {
        var errors = ErrorsOf(Instruments.Swemwbs, [3, 3, 3, 3, 3, 3, null]);

        Assert.Equal("answers[6]", Assert.Single(errors).Key);
    }

    [Fact]
    public void AWrongNumberOfAnswersIsRejected()
    {
        var errors = ErrorsOf(Instruments.Swemwbs, [3, 3, 3, 3, 3, 3]);

        Assert.Equal("answers", Assert.Single(errors).Key);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(36)]
    public void ARawTotalOutsideTheTableIsAProgrammingError(int raw) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QuestionnaireScoring.SwemwbsMetric(raw));
}
