using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class QuestionnaireValidationTests
{
    [Theory]
    [InlineData("PHQ9")]
    [InlineData("phq-9")]
    [InlineData("")]
    public void AnUnknownInstrumentIsRejectedListingTheKnownOnes(string instrument)
    {
        var outcome = QuestionnaireScoring.Score(instrument, [0, 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.False(outcome.IsValid);
        var message = Assert.Single(outcome.Errors["instrument"]);
        Assert.Contains("PHQ-9, GAD-7, SWEMWBS, ONS4, UCLA-3, WSAS", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAnswersAreRejected()
    {
        var outcome = QuestionnaireScoring.Score(Instruments.Gad7, null!);

        Assert.Contains("is required", Assert.Single(outcome.Errors["answers"]), StringComparison.Ordinal);
    }

    [Fact]
    public void TheInstrumentNamesAreTheApiWireValues()
    {
        Assert.Equal(["PHQ-9", "GAD-7", "SWEMWBS", "ONS4", "UCLA-3", "WSAS"], Instruments.All);
        Assert.Equal(["start", "session", "end", "follow-up"], Timepoints.All);
        Assert.True(Timepoints.IsKnown("follow-up"));
        Assert.False(Timepoints.IsKnown("followup"));
    }

    [Theory]
    [InlineData("PHQ-9", 9, 0, 3)]
    [InlineData("GAD-7", 7, 0, 3)]
    [InlineData("SWEMWBS", 7, 1, 5)]
    [InlineData("ONS4", 4, 0, 10)]
    [InlineData("UCLA-3", 3, 1, 3)]
    [InlineData("WSAS", 5, 0, 8)]
    public void EachInstrumentHasThePublishedShape(string instrument, int items, int min, int max) =>
        Assert.Equal(new InstrumentShape(instrument, items, min, max), Instruments.Shapes[instrument]);

    [Fact]
    public void AValidOutcomeHasNoErrorsAndAnInvalidOneNoScore()
    {
        var valid = QuestionnaireScoring.Score(Instruments.Ucla3, [1, 1, 1]);
        var invalid = QuestionnaireScoring.Score(Instruments.Ucla3, [1, 1, 5]);

        Assert.True(valid.IsValid);
        Assert.Empty(valid.Errors);
        Assert.False(invalid.IsValid);
        Assert.Null(invalid.Score);
        Assert.NotEmpty(invalid.Errors);
    }
}
