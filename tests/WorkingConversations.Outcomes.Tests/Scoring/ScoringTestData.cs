using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

/// <summary>Builds answer sets with a chosen total, so band tests state the total they mean rather than nine digits.</summary>
internal static class ScoringTestData
{
    /// <summary>Answers for <paramref name="instrument"/> adding up to <paramref name="total"/>, filled from the first item.</summary>
    public static int?[] AnswersFor(string instrument, int total)
    {
        var shape = Instruments.Shapes[instrument];
        var remaining = total - (shape.Items * shape.MinAnswer);
        if (remaining < 0 || remaining > shape.Items * (shape.MaxAnswer - shape.MinAnswer))
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "No valid answers add up to this total.");
        }

        var answers = new int?[shape.Items];
        for (var i = 0; i < shape.Items; i++)
        {
            var extra = Math.Min(remaining, shape.MaxAnswer - shape.MinAnswer);
            answers[i] = shape.MinAnswer + extra;
            remaining -= extra;
        }

        return answers;
    }

    public static QuestionnaireScore ScoreOf(string instrument, IReadOnlyList<int?> answers)
    {
        var outcome = QuestionnaireScoring.Score(instrument, answers);
        Assert.True(outcome.IsValid, "Expected a score but got errors: " + string.Join("; ", outcome.Errors.Select(e => e.Key + " " + string.Join(" ", e.Value))));
        Assert.Empty(outcome.Errors);
        return outcome.Score;
    }

    public static IReadOnlyDictionary<string, string[]> ErrorsOf(string instrument, IReadOnlyList<int?> answers)
    {
        var outcome = QuestionnaireScoring.Score(instrument, answers);
        Assert.False(outcome.IsValid);
        Assert.Null(outcome.Score);
        return outcome.Errors;
    }
}
