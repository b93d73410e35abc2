using Microsoft.Extensions.Configuration;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Referrals.Contracts;
using static WorkingConversations.Outcomes.Tests.Scoring.ScoringTestData;

namespace WorkingConversations.Outcomes.Tests.Scoring;

/// <summary>measures.md: caseness, bands and every threshold come from the same settings everywhere.</summary>
public sealed class ThresholdSettingsTests
{
    private static readonly OutcomeThresholds Strict = new()
    {
        Phq9Caseness = 12, Gad7Caseness = 10, Phq9BandsFrom = [5, 12, 16, 21], Gad7BandsFrom = [6, 11, 16], Ucla3Lonely = 7,
        WsasSignificantFrom = 12m, WsasSevereAbove = 24m, Ons4PositiveBandsFrom = [6, 8, 10], Ons4AnxietyBandsFrom = [3, 5, 7],
    };

    private static QuestionnaireScore Score(string instrument, int?[] answers, OutcomeThresholds thresholds)
    {
        var outcome = QuestionnaireScoring.Score(instrument, answers, thresholds);
        Assert.True(outcome.IsValid);
        return outcome.Score;
    }

    [Theory]
    [InlineData(11, false, "moderate", "mild")]
    [InlineData(12, true, "moderate", "moderate")]
    [InlineData(13, true, "moderate", "moderate")]
    public void Phq9CasenessAndBandsFollowTheSettingAtAndEitherSideOfIt(int total, bool caseness, string defaultBand, string strictBand)
    {
        var answers = AnswersFor(Instruments.Phq9, total);

        Assert.Equal(caseness, Score(Instruments.Phq9, answers, Strict).Caseness);
        Assert.Equal(strictBand, Score(Instruments.Phq9, answers, Strict).Band);
        Assert.True(Score(Instruments.Phq9, answers, OutcomeThresholds.Default).Caseness);
        Assert.Equal(defaultBand, Score(Instruments.Phq9, answers, OutcomeThresholds.Default).Band);
    }

    [Theory]
    [InlineData(9, false, "mild")]
    [InlineData(10, true, "mild")]
    [InlineData(11, true, "moderate")]
    public void Gad7CasenessAndBandsFollowTheSetting(int total, bool caseness, string strictBand)
    {
        var score = Score(Instruments.Gad7, AnswersFor(Instruments.Gad7, total), Strict);

        Assert.Equal(caseness, score.Caseness);
        Assert.Equal(strictBand, score.Band);
    }

    [Fact]
    public void LonelinessWsasAndOns4BandsFollowTheSettings()
    {
        Assert.True(Score(Instruments.Ucla3, [2, 2, 2], OutcomeThresholds.Default).Lonely);
        Assert.False(Score(Instruments.Ucla3, [2, 2, 2], Strict).Lonely);
        Assert.True(Score(Instruments.Ucla3, [3, 2, 2], Strict).Lonely);

        Assert.Equal(ScoreBands.Significant, Score(Instruments.Wsas, [3, 2, 2, 2, 2], OutcomeThresholds.Default).Band);
        Assert.Equal(ScoreBands.Subclinical, Score(Instruments.Wsas, [3, 2, 2, 2, 2], Strict).Band);
        Assert.Equal(ScoreBands.Significant, Score(Instruments.Wsas, [8, 8, 8, 0, 0], Strict).Band);
        Assert.Equal(ScoreBands.ModeratelySevereOrWorse, Score(Instruments.Wsas, [8, 8, 8, 1, 0], Strict).Band);

        var ons4 = Score(Instruments.Ons4, [5, 7, 9, 2], Strict);
        Assert.Equal(["low", "medium", "high", "very-low"], new[] { "lifeSatisfaction", "worthwhile", "happy", "anxiety" }.Select(k => ons4.Bands![k]));
    }

    [Fact]
    public void TheEpisodeOutcomeTakesTheSameSettingAsTheQuestionnaire()
    {
        var participant = Guid.CreateVersion7();
        var t0 = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
        QuestionnaireRecorded Q(string instrument, string timepoint, decimal total, int day) =>
            new(Guid.CreateVersion7(), participant, 1, instrument, timepoint, [], total, null, null, null, null, t0.AddDays(day), t0.AddDays(day));
        EpisodeOutcome Fold(EpisodeOutcomeProjection p)
        {
            var o = p.Create(new ReferralReceived(Guid.CreateVersion7(), participant, Guid.CreateVersion7(), "R", 1, "reason", [], null, 40, t0));
            o = p.Apply(Q("PHQ-9", "start", 11, 1), o);
            o = p.Apply(Q("GAD-7", "start", 5, 1), o);
            o = p.Apply(Q("PHQ-9", "end", 4, 30), o);
            o = p.Apply(Q("GAD-7", "end", 3, 30), o);
            return p.Apply(new EpisodeEnded(participant, Guid.Empty, 1, "goals-reached", null, 3, t0.AddDays(31)), o);
        }

        // PHQ-9 11 at the start is caseness under the published 10 and not under 12: the row follows the setting.
        Assert.True(Fold(new EpisodeOutcomeProjection(OutcomeThresholds.Default, FollowUpSettings.Default)).CasenessAtStart);
        Assert.False(Fold(new EpisodeOutcomeProjection(Strict, FollowUpSettings.Default)).CasenessAtStart);
    }

    [Fact]
    public void TheDefaultsAreThePublishedThresholds()
    {
        var d = OutcomeThresholds.Default;

        Assert.Equal([5, 10, 15, 20], d.Phq9BandsFrom);
        Assert.Equal([5, 10, 15], d.Gad7BandsFrom);
        Assert.Equal((6, 10m, 20m), (d.Ucla3Lonely, d.WsasSignificantFrom, d.WsasSevereAbove));
        Assert.Equal([5, 7, 9], d.Ons4PositiveBandsFrom);
        Assert.Equal([2, 4, 6], d.Ons4AnxietyBandsFrom);
        Assert.Empty(d.Problems());
    }

    [Fact]
    public void SettingsAreReadFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Outcomes:Thresholds:Phq9Caseness"] = "12",
            ["Outcomes:Thresholds:Phq9BandsFrom:0"] = "5",
            ["Outcomes:Thresholds:Phq9BandsFrom:1"] = "12",
            ["Outcomes:Thresholds:Phq9BandsFrom:2"] = "16",
            ["Outcomes:Thresholds:Phq9BandsFrom:3"] = "21",
            ["Outcomes:Thresholds:Ucla3Lonely"] = "7",
        }).Build();

        var t = OutcomesSettings.Thresholds(configuration);

        Assert.Equal((12, 7), (t.Phq9Caseness, t.Ucla3Lonely));
        Assert.Equal([5, 12, 16, 21], t.Phq9BandsFrom);
        Assert.Equal(OutcomeThresholds.Default.Gad7BandsFrom, t.Gad7BandsFrom);
    }

    [Theory]
    [InlineData("Phq9Caseness", "0")]
    [InlineData("Phq9Caseness", "28")]
    [InlineData("Gad7ReliableChange", "0")]
    [InlineData("Ucla3Lonely", "3")]
    [InlineData("WsasSevereAbove", "9")]
    [InlineData("Gad7BandsFrom:0", "12")]
    public void ASettingThatCannotBeUsedStopsTheStartNamingIt(string setting, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Outcomes:Thresholds:" + setting] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => OutcomesSettings.Thresholds(configuration));

        Assert.Contains("Outcomes:Thresholds:" + setting.Split(':')[0], error.Message, StringComparison.Ordinal);
    }
}
