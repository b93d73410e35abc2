using WorkingConversations.Outcomes.Recording;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

/// <summary>measures.md and api.md: UCLA-3's direct question, validated against its five choices, stored with the score and returned.</summary>
public sealed class DirectLonelinessTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static RecordQuestionnaireRequest Ucla3(string? direct, string instrument = Instruments.Ucla3) =>
        new(instrument, "start", instrument == Instruments.Ucla3 ? [2, 2, 3] : [0, 0, 0, 0, 0, 0, 0], Now, direct);

    [Theory]
    [InlineData("often-always")]
    [InlineData("some-of-the-time")]
    [InlineData("occasionally")]
    [InlineData("hardly-ever")]
    [InlineData("never")]
    [InlineData(null)]
    public void EachOfTheFiveAnswersOrNoneIsAccepted(string? direct)
    {
        var (v, score) = RecordQuestionnaire.Validate(Ucla3(direct), Now, OutcomeThresholds.Default);

        Assert.True(v.IsValid);
        Assert.True(score!.Lonely);
    }

    [Theory]
    [InlineData("often-or-always")]
    [InlineData("Often-Always")]
    [InlineData("")]
    [InlineData("always")]
    public void AnyOtherAnswerIsRejectedNamingTheField(string direct)
    {
        var (v, _) = RecordQuestionnaire.Validate(Ucla3(direct), Now, OutcomeThresholds.Default);

        Assert.Contains("often-always, some-of-the-time, occasionally, hardly-ever, never", Assert.Single(v.Errors["directLoneliness"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ItIsOnlyAskedWithUcla3()
    {
        var (v, _) = RecordQuestionnaire.Validate(Ucla3("never", Instruments.Gad7), Now, OutcomeThresholds.Default);

        Assert.Contains("only asked with UCLA-3", Assert.Single(v.Errors["directLoneliness"]), StringComparison.Ordinal);
    }

    [Fact]
    public void ItIsStoredWithTheScoreAndReturned()
    {
        var request = Ucla3("some-of-the-time");
        var (_, score) = RecordQuestionnaire.Validate(request, Now, OutcomeThresholds.Default);
        var journey = new OutcomesJourney(Guid.CreateVersion7(), 1, false, 0);

        var decision = RecordQuestionnaire.Decide(journey, request, score!, Guid.CreateVersion7(), Now);

        var recorded = Assert.IsType<Contracts.QuestionnaireRecorded>(Assert.Single(decision.Events));
        Assert.Equal(("some-of-the-time", true, 7m), (recorded.DirectLoneliness, recorded.Lonely, recorded.Total));
        Assert.Equal("some-of-the-time", decision.Result!.DirectLoneliness);
    }
}
