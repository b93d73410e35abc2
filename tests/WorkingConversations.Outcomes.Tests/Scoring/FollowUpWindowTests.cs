using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.FollowingUp;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes.Tests.Scoring;

/// <summary>
/// measures.md ("After the episode"): a follow-up is done with any instrument or circumstances within its window; relapse
/// is judged only where PHQ-9 or GAD-7 was recorded; sustained recovery needs the 12-month check-in done within its
/// window. Each window edge is tested on the day, and the day either side.
/// </summary>
public sealed class FollowUpWindowTests
{
    private static readonly Guid Participant = Guid.CreateVersion7();
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset OneMonth = End.AddMonths(1);
    private static readonly DateTimeOffset TwelveMonths = End.AddMonths(12);
    private readonly EpisodeOutcomeProjection _projection = new();

    private static QuestionnaireRecorded Q(string instrument, string timepoint, decimal? total, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), Participant, 1, instrument, timepoint, [], total, null, null, null, null, at, at);

    private static CircumstancesRecorded C(string timepoint, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), Participant, 1, timepoint, "secure", "employed-part-time", "meets-basic-needs", true, true, at);

    /// <summary>Finished, paired and recovered (PHQ-9 15 to 5, GAD-7 9 to 3), ended at <see cref="End"/>, its check-ins scheduled.</summary>
    private EpisodeOutcome Recovered()
    {
        var o = _projection.Create(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.CreateVersion7(), "R", 1, "reason", [], null, 40, Start));
        o = _projection.Apply(new ConversationHeld(Guid.CreateVersion7(), Participant, Guid.Empty, 1, Guid.CreateVersion7(), "", [], 5, "", "", null, null, false, 30, Start), o);
        o = _projection.Apply(new ConversationHeld(Guid.CreateVersion7(), Participant, Guid.Empty, 1, Guid.CreateVersion7(), "", [], 5, "", "", null, null, false, 30, End), o);
        o = _projection.Apply(Q(Instruments.Phq9, "start", 15, Start), o);
        o = _projection.Apply(Q(Instruments.Gad7, "start", 9, Start), o);
        o = _projection.Apply(Q(Instruments.Phq9, "end", 5, End), o);
        o = _projection.Apply(Q(Instruments.Gad7, "end", 3, End), o);
        o = _projection.Apply(new EpisodeEnded(Participant, Guid.Empty, 1, "goals-reached", null, 2, End), o);
        int[] months = [1, 3, 6, 12];
        o = _projection.Apply(new FollowUpsScheduled(Participant, 1, months, [.. months.Select(m => End.AddMonths(m))], End, End), o);
        Assert.True(o is { Recovered: true, FinishedTreatment: true, Measurable: true });
        return o;
    }

    private EpisodeOutcome Apply(EpisodeOutcome o, params object[] events) =>
        events.Aggregate(o, (current, e) => e switch
        {
            QuestionnaireRecorded q => _projection.Apply(q, current),
            CircumstancesRecorded c => _projection.Apply(c, current),
            FollowUpCheckInDue d => _projection.Apply(d, current),
            FollowUpCheckInMissed m => _projection.Apply(m, current),
            _ => throw new ArgumentException(e.GetType().Name),
        });

    [Theory]
    [InlineData(-15, false)]
    [InlineData(-14, true)]
    [InlineData(-13, true)]
    [InlineData(13, true)]
    [InlineData(14, true)]
    [InlineData(15, false)]
    public void AFollowUpWithOtherInstrumentsOnlyKeepsTheCheckInWithinItsWindow(int days, bool done)
    {
        var swemwbs = Apply(Recovered(), Q(Instruments.Swemwbs, "follow-up", 25, OneMonth.AddDays(days)));
        var ons4 = Apply(Recovered(), Q(Instruments.Ons4, "follow-up", null, OneMonth.AddDays(days)));
        var circumstances = Apply(Recovered(), C("follow-up", OneMonth.AddDays(days)));

        Assert.Equal(done ? 1 : 0, swemwbs.FollowUpsDone);
        Assert.Equal(done ? 1 : 0, ons4.FollowUpsDone);
        Assert.Equal(done ? 1 : 0, circumstances.FollowUpsDone);
    }

    [Fact]
    public void CircumstancesRecordedAtTheStartOrTheEndKeepNoCheckIn()
    {
        var o = Apply(Recovered(), C("end", OneMonth));

        Assert.Equal(0, o.FollowUpsDone);
    }

    [Fact]
    public void ACheckInTheHandlerMarkedMissedIsDoneWhenAFollowUpFellInItsWindow()
    {
        // Recorded under a narrower rule (only a PHQ-9 or GAD-7 kept a check-in): a rebuild gives today's figures.
        var o = Apply(Recovered(),
            new FollowUpCheckInDue(Participant, 1, 1, OneMonth, OneMonth),
            C("follow-up", OneMonth.AddDays(3)),
            new FollowUpCheckInMissed(Participant, 1, 1, OneMonth, OneMonth.AddDays(15)));

        Assert.Equal((1, 1, 0), (o.FollowUpsDue, o.FollowUpsDone, o.FollowUpsMissed));
    }

    [Fact]
    public void ACheckInMissedWithNothingInItsWindowStaysMissed()
    {
        var o = Apply(Recovered(),
            new FollowUpCheckInDue(Participant, 1, 1, OneMonth, OneMonth),
            Q(Instruments.Swemwbs, "follow-up", 25, OneMonth.AddDays(15)),
            new FollowUpCheckInMissed(Participant, 1, 1, OneMonth, OneMonth.AddDays(15)));

        Assert.Equal((1, 0, 1), (o.FollowUpsDue, o.FollowUpsDone, o.FollowUpsMissed));
    }

    [Fact]
    public void RelapseIsJudgedOnlyWherePhq9OrGad7WasRecorded()
    {
        var swemwbsOnly = Apply(Recovered(), Q(Instruments.Swemwbs, "follow-up", 9, OneMonth), Q(Instruments.Ucla3, "follow-up", 9, OneMonth));
        var phq9 = Apply(Recovered(), Q(Instruments.Swemwbs, "follow-up", 9, OneMonth), Q(Instruments.Phq9, "follow-up", 11, OneMonth));
        var gad7 = Apply(Recovered(), Q(Instruments.Gad7, "follow-up", 8, OneMonth));
        var gad7BelowCaseness = Apply(Recovered(), Q(Instruments.Gad7, "follow-up", 7, OneMonth));

        Assert.False(swemwbsOnly.Relapsed);
        Assert.Equal(1, swemwbsOnly.FollowUpsDone);
        Assert.True(phq9.Relapsed);
        Assert.True(gad7.Relapsed);
        Assert.False(gad7BelowCaseness.Relapsed);   // 4 above the last 3, but below caseness 8
    }

    [Theory]
    [InlineData(-15, false)]
    [InlineData(-14, true)]
    [InlineData(-13, true)]
    [InlineData(13, true)]
    [InlineData(14, true)]
    [InlineData(15, false)]
    public void SustainedRecoveryNeedsTheTwelveMonthCheckInDoneWithinItsWindow(int days, bool sustained)
    {
        var clinical = Apply(Recovered(), Q(Instruments.Phq9, "follow-up", 4, TwelveMonths.AddDays(days)));
        var circumstancesOnly = Apply(Recovered(), C("follow-up", TwelveMonths.AddDays(days)));

        Assert.Equal(sustained, clinical.SustainedRecovery);
        Assert.Equal(sustained, circumstancesOnly.SustainedRecovery);
    }

    [Fact]
    public void ARelapseOnTheLastDayOfTheTwelveMonthsEndsSustainedRecoveryAndTheDayAfterIsRecurrence()
    {
        var onTheDay = Apply(Recovered(), Q(Instruments.Phq9, "follow-up", 12, TwelveMonths), C("follow-up", TwelveMonths));
        var dayAfter = Apply(Recovered(), C("follow-up", TwelveMonths.AddDays(-2)), Q(Instruments.Phq9, "follow-up", 12, TwelveMonths.AddDays(1)));

        Assert.True(onTheDay.Relapsed);
        Assert.False(onTheDay.SustainedRecovery);
        Assert.False(dayAfter.Relapsed);
        Assert.True(dayAfter.Recurred);
        // The 12-month check-in was kept two days before, well: the recovery was sustained, and then recurred.
        Assert.True(dayAfter.SustainedRecovery);
    }

    [Fact]
    public void AnEpisodeWithoutPairedScoresCanNeitherRelapseNorBeSustained()
    {
        var o = _projection.Create(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.CreateVersion7(), "R", 1, "reason", [], null, 40, Start));
        o = _projection.Apply(Q(Instruments.Phq9, "start", 15, Start), o);
        o = _projection.Apply(Q(Instruments.Phq9, "end", 5, End), o);
        o = _projection.Apply(new EpisodeEnded(Participant, Guid.Empty, 1, "goals-reached", null, 2, End), o);
        o = Apply(o, Q(Instruments.Phq9, "follow-up", 15, OneMonth), Q(Instruments.Phq9, "follow-up", 4, TwelveMonths));

        Assert.False(o.Measurable);
        Assert.False(o.Recovered);
        Assert.False(o.Relapsed);
        Assert.False(o.SustainedRecovery);
        Assert.Equal(2, o.FollowUpsDone);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(365, true)]
    [InlineData(366, false)]
    public void ReturnedIsARereferralFromTheEndTillTwelveMonthsAfterIt(int days, bool returned)
    {
        // 15 January 2026 + 12 months is 15 January 2027, 365 days later.
        var end = DateOnly.FromDateTime(End.UtcDateTime);

        Assert.Equal(returned, FollowUpClassification.Returned(end, [end.AddDays(days)]));
    }

    [Fact]
    public void AnEndedEpisodeThatDidNotFinishCanBeReturned()
    {
        var o = _projection.Create(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.CreateVersion7(), "R", 1, "reason", [], null, 40, Start));
        o = _projection.Apply(new EpisodeEnded(Participant, Guid.Empty, 1, "disengaged", null, 0, End), o);
        o = _projection.Apply(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.CreateVersion7(), "R", 2, "reason", [], null, 40, End.AddMonths(2)), o);

        Assert.False(o.FinishedTreatment);
        Assert.True(o.Returned);
    }

    [Theory]
    [InlineData("follow-up", 14, false)]
    [InlineData("follow-up", 15, true)]
    [InlineData("end", 0, true)]
    public void TheWindowClosedHandlerCountsCircumstancesAsAFollowUp(string timepoint, int days, bool missed)
    {
        var journey = new OutcomesJourney(Participant, 1, true, 0) { EndedAt = End }
            .Apply(new FollowUpCheckInDue(Participant, 1, 1, OneMonth, OneMonth))
            .Apply(C(timepoint, OneMonth.AddDays(days)));
        var closed = new FollowUpWindowClosed(Participant, 1, 1, End, OneMonth);

        var decision = FollowUpWindowClosedHandler.Decide(journey, closed, FollowUpSettings.Default, OneMonth.AddDays(16));

        Assert.Equal(missed, decision.Events.OfType<FollowUpCheckInMissed>().Any());
        Assert.Empty(decision.Messages);
    }
}
