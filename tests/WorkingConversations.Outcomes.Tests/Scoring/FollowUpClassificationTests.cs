using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class FollowUpClassificationTests
{
    private static readonly DateOnly End = new(2026, 1, 15);
    private static readonly DateOnly TwelveMonths = new(2027, 1, 15);

    private static FollowUpScores At(DateOnly date, int? phq9, int? gad7 = null) => new(date, phq9, gad7);

    private static FollowUpOutcome Classify(params FollowUpScores[] followUps) =>
        FollowUpClassification.Classify(End, endedInRecovery: true, lastPhq9: 6, lastGad7: 4, followUps);

    private static FollowUpScores[] WellAtEveryCheckIn() =>
    [
        At(new(2026, 2, 15), 5, 3),
        At(new(2026, 4, 15), 7, 4),
        At(new(2026, 7, 15), 6, 5),
        At(TwelveMonths, 4, 2),
    ];

    [Theory]
    [InlineData(12, null, true)] // PHQ-9 at caseness, up 6.
    [InlineData(11, null, false)] // PHQ-9 at caseness, up only 5.
    [InlineData(null, 8, true)] // GAD-7 at caseness, up 4.
    [InlineData(null, 7, false)] // GAD-7 up only 3, and below caseness.
    [InlineData(11, 7, false)]
    [InlineData(27, 21, true)]
    public void RelapseIsCasenessHavingRisenByTheReliableAmountFromTheEpisodesLastScore(int? phq9, int? gad7, bool relapsed)
    {
        var outcome = Classify(At(new(2026, 4, 15), phq9, gad7));

        Assert.Equal(relapsed, outcome.Relapsed);
        Assert.Equal(relapsed ? new DateOnly(2026, 4, 15) : null, outcome.FirstRelapseDate);
        Assert.False(outcome.Recurred);
    }

    [Fact]
    public void ARiseBelowCasenessIsNotARelapse()
    {
        var outcome = FollowUpClassification.Classify(End, true, lastPhq9: 2, lastGad7: 1, [At(new(2026, 4, 15), 9, 7)]);

        Assert.False(outcome.Relapsed);
    }

    [Fact]
    public void AScoreAtCasenessWithoutAReliableRiseIsNotARelapse()
    {
        // Recovered at PHQ-9 9; 13 at follow-up is caseness but only 4 points worse.
        var outcome = FollowUpClassification.Classify(End, true, lastPhq9: 9, lastGad7: 7, [At(new(2026, 4, 15), 13, 10)]);

        Assert.False(outcome.Relapsed);
    }

    [Fact]
    public void OnTheTwelveMonthDayItIsRelapseAndTheDayAfterRecurrence()
    {
        var onTheDay = Classify(At(TwelveMonths, 14));
        var dayAfter = Classify(At(TwelveMonths.AddDays(1), 14));

        Assert.True(onTheDay.Relapsed);
        Assert.False(onTheDay.Recurred);
        Assert.False(dayAfter.Relapsed);
        Assert.True(dayAfter.Recurred);
        Assert.Equal(TwelveMonths.AddDays(1), dayAfter.FirstRecurrenceDate);
    }

    [Fact]
    public void RelapseAndRecurrenceCanBothHappen()
    {
        var outcome = Classify(At(new(2026, 3, 1), 13), At(new(2026, 5, 1), 5), At(new(2027, 6, 1), null, 10));

        Assert.True(outcome.Relapsed);
        Assert.True(outcome.Recurred);
        Assert.Equal(new DateOnly(2026, 3, 1), outcome.FirstRelapseDate);
        Assert.Equal(new DateOnly(2027, 6, 1), outcome.FirstRecurrenceDate);
        Assert.False(outcome.SustainedRecovery);
    }

    [Fact]
    public void AnEpisodeNotEndedInRecoveryCanNeitherRelapseNorBeSustained()
    {
        var outcome = FollowUpClassification.Classify(End, endedInRecovery: false, 6, 4, [At(new(2026, 4, 15), 20, 15), At(TwelveMonths, 3, 2)]);

        Assert.False(outcome.Relapsed);
        Assert.False(outcome.Recurred);
        Assert.False(outcome.SustainedRecovery);
        Assert.Equal(TwelveMonths, outcome.TwelveMonthFollowUpDate);
    }

    [Fact]
    public void AnInstrumentWithoutAnEpisodeScoreCannotShowARise()
    {
        var outcome = FollowUpClassification.Classify(End, true, lastPhq9: null, lastGad7: 3, [At(new(2026, 4, 15), 20, 5)]);

        Assert.False(outcome.Relapsed);
    }

    [Fact]
    public void FollowUpsDatedBeforeTheEndAreIgnored()
    {
        var outcome = Classify(At(End.AddDays(-1), 20, 20));

        Assert.False(outcome.Relapsed);
    }

    [Fact]
    public void SustainedRecoveryNeedsNoRelapseAndTheTwelveMonthFollowUp()
    {
        var outcome = Classify(WellAtEveryCheckIn());

        Assert.True(outcome.SustainedRecovery);
        Assert.False(outcome.Relapsed);
        Assert.Equal(TwelveMonths, outcome.TwelveMonthFollowUpDate);
    }

    [Fact]
    public void SustainedRecoveryDoesNotDependOnTheOrderFollowUpsArriveIn()
    {
        var outcome = Classify([.. WellAtEveryCheckIn().Reverse()]);

        Assert.True(outcome.SustainedRecovery);
    }

    [Fact]
    public void WithoutTheTwelveMonthFollowUpRecoveryIsNotSustained()
    {
        var outcome = Classify(WellAtEveryCheckIn()[..3]);

        Assert.False(outcome.SustainedRecovery);
        Assert.False(outcome.Relapsed);
        Assert.Null(outcome.TwelveMonthFollowUpDate);
    }

    [Fact]
    public void ATwelveMonthFollowUpCountsFromFourteenDaysBeforeItIsDue()
    {
        var justInside = Classify(At(TwelveMonths.AddDays(-14), 5));
        var justOutside = Classify(At(TwelveMonths.AddDays(-15), 5));

        Assert.True(justInside.SustainedRecovery);
        Assert.False(justOutside.SustainedRecovery);
        Assert.Null(justOutside.TwelveMonthFollowUpDate);
    }

    [Fact]
    public void ATwelveMonthFollowUpCountsUpToFourteenDaysAfterItIsDueAndNotLater()
    {
        // measures.md: one recorded later counts as that check-in missed.
        var lastDay = Classify(At(TwelveMonths.AddDays(14), 5));
        var dayLate = Classify(At(TwelveMonths.AddDays(15), 5));
        var muchLater = Classify(At(TwelveMonths.AddDays(40), 5));

        Assert.True(lastDay.SustainedRecovery);
        Assert.Equal(TwelveMonths.AddDays(14), lastDay.TwelveMonthFollowUpDate);
        Assert.False(dayLate.SustainedRecovery);
        Assert.Null(dayLate.TwelveMonthFollowUpDate);
        Assert.False(muchLater.SustainedRecovery);
    }

    [Fact]
    public void ARelapseBeforeTwelveMonthsEndsSustainedRecoveryEvenIfWellAgainLater()
    {
        var followUps = WellAtEveryCheckIn();
        followUps[1] = At(new(2026, 4, 15), 13);

        var outcome = Classify(followUps);

        Assert.True(outcome.Relapsed);
        Assert.False(outcome.SustainedRecovery);
    }

    [Fact]
    public void DeteriorationAtALateTwelveMonthFollowUpIsRecurrenceAndNotSustained()
    {
        var outcome = Classify(At(new(2026, 7, 15), 5), At(TwelveMonths.AddDays(5), 15));

        Assert.False(outcome.Relapsed);
        Assert.True(outcome.Recurred);
        Assert.False(outcome.SustainedRecovery);
    }

    [Fact]
    public void RecurrenceAfterTheTwelveMonthFollowUpDoesNotUndoSustainedRecovery()
    {
        var outcome = Classify([.. WellAtEveryCheckIn(), At(new(2027, 9, 1), 16)]);

        Assert.True(outcome.SustainedRecovery);
        Assert.True(outcome.Recurred);
    }

    [Fact]
    public void TheRelapseWindowIsASetting()
    {
        var sixMonths = new FollowUpSettings { RelapseWindowMonths = 6 };

        var outcome = FollowUpClassification.Classify(End, true, 6, 4, [At(new(2026, 9, 1), 13)], settings: sixMonths);

        Assert.False(outcome.Relapsed);
        Assert.True(outcome.Recurred);
    }

    [Theory]
    [InlineData(2026, 6, 1, true)]
    [InlineData(2026, 1, 15, true)]
    [InlineData(2027, 1, 15, true)]
    [InlineData(2027, 1, 16, false)]
    [InlineData(2025, 12, 1, false)]
    public void ReturnedIsAReReferralWithinTwelveMonthsOfTheEnd(int year, int month, int day, bool returned) =>
        Assert.Equal(returned, FollowUpClassification.Returned(End, [new DateOnly(year, month, day)]));

    [Fact]
    public void NoLaterReferralIsNotReturned() =>
        Assert.False(FollowUpClassification.Returned(End, []));

    [Fact]
    public void CheckInsAreDueAtOneThreeSixAndTwelveMonths()
    {
        var checkIns = FollowUpClassification.CheckIns(End, [], asOf: End);

        Assert.Equal([1, 3, 6, 12], checkIns.Select(c => c.Months));
        Assert.Equal(
            [new DateOnly(2026, 2, 15), new DateOnly(2026, 4, 15), new DateOnly(2026, 7, 15), TwelveMonths],
            checkIns.Select(c => c.DueDate));
        Assert.All(checkIns, c => Assert.Equal(CheckInStatus.Pending, c.Status));
    }

    [Fact]
    public void ACheckInNotRecordedWithinFourteenDaysOfItsDueDateIsMissed()
    {
        var checkIns = FollowUpClassification.CheckIns(
            End,
            [new DateOnly(2026, 2, 20), new DateOnly(2026, 5, 1)],
            asOf: new DateOnly(2026, 8, 1));

        Assert.Equal(
            [CheckInStatus.Done, CheckInStatus.Missed, CheckInStatus.Missed, CheckInStatus.Pending],
            checkIns.Select(c => c.Status));
        Assert.Equal(new DateOnly(2026, 2, 20), checkIns[0].RecordedOn);
        Assert.True(FollowUpClassification.FollowUpMissed(End, [new DateOnly(2026, 2, 20), new DateOnly(2026, 5, 1)], new DateOnly(2026, 8, 1)));
    }

    [Fact]
    public void TheGraceWindowIsFourteenDaysEitherSideInclusive()
    {
        var due = new DateOnly(2026, 2, 15);

        Assert.Equal(CheckInStatus.Done, FollowUpClassification.CheckIns(End, [due.AddDays(-14)], due.AddDays(30))[0].Status);
        Assert.Equal(CheckInStatus.Done, FollowUpClassification.CheckIns(End, [due.AddDays(14)], due.AddDays(30))[0].Status);
        Assert.Equal(CheckInStatus.Missed, FollowUpClassification.CheckIns(End, [due.AddDays(15)], due.AddDays(30))[0].Status);
        Assert.Equal(CheckInStatus.Missed, FollowUpClassification.CheckIns(End, [due.AddDays(-15)], due.AddDays(30))[0].Status);
    }

    [Fact]
    public void ACheckInIsOnlyMissedOnceItsGraceWindowHasClosed()
    {
        var due = new DateOnly(2026, 2, 15);

        Assert.Equal(CheckInStatus.Pending, FollowUpClassification.CheckIns(End, [], due.AddDays(14))[0].Status);
        Assert.Equal(CheckInStatus.Missed, FollowUpClassification.CheckIns(End, [], due.AddDays(15))[0].Status);
        Assert.False(FollowUpClassification.FollowUpMissed(End, [], due.AddDays(14)));
        Assert.True(FollowUpClassification.FollowUpMissed(End, [], due.AddDays(15)));
    }

    [Fact]
    public void OneRecordedFollowUpKeepsOnlyOneCheckIn()
    {
        var overlapping = new FollowUpSettings { IntervalsMonths = [1, 2], GraceDays = 20 };

        var checkIns = FollowUpClassification.CheckIns(End, [new DateOnly(2026, 3, 1)], new DateOnly(2026, 6, 1), overlapping);

        Assert.Equal([CheckInStatus.Done, CheckInStatus.Missed], checkIns.Select(c => c.Status));
    }

    [Fact]
    public void DueDatesClampToTheEndOfShorterMonths()
    {
        var checkIns = FollowUpClassification.CheckIns(new DateOnly(2026, 1, 31), [], new DateOnly(2026, 1, 31));

        Assert.Equal(new DateOnly(2026, 2, 28), checkIns[0].DueDate);
    }

    [Fact]
    public void TheScheduleAndGraceAreSettings()
    {
        var weekly = new FollowUpSettings { IntervalsMonths = [2], GraceDays = 7 };

        var checkIns = FollowUpClassification.CheckIns(End, [new DateOnly(2026, 3, 24)], new DateOnly(2026, 4, 1), weekly);

        var only = Assert.Single(checkIns);
        Assert.Equal(2, only.Months);
        Assert.Equal(CheckInStatus.Missed, only.Status);
    }
}
