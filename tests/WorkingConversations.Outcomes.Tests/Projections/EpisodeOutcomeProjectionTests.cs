using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes.Tests.Projections;

/// <summary>The fold itself, event by event, without a database: the rules the integration tests cannot easily reach.</summary>
public sealed class EpisodeOutcomeProjectionTests
{
    private static readonly Guid Participant = Guid.CreateVersion7();
    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly EpisodeOutcomeProjection _projection = new();

    private EpisodeOutcome Received(int episode = 1, int age = 40) =>
        _projection.Create(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.CreateVersion7(), "R", episode, "reason", [], null, age, T0));

    private static QuestionnaireRecorded Q(string instrument, string timepoint, decimal total, DateTimeOffset at, decimal? metric = null) =>
        new(Guid.CreateVersion7(), Participant, 1, instrument, timepoint, [], total, metric, null, null, null, at, at);

    private static ConversationHeld Held(Guid practitioner, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), Participant, Guid.Empty, 1, practitioner, "", [], 5, "", "", null, null, false, 30, at);

    [Fact]
    public void First_and_last_scores_follow_when_a_questionnaire_was_administered_not_when_it_was_recorded()
    {
        var o = Received();
        o = _projection.Apply(Q("GAD-7", "start", 9, T0.AddDays(1)), o);
        o = _projection.Apply(Q("GAD-7", "end", 3, T0.AddDays(30)), o);
        o = _projection.Apply(Q("PHQ-9", "end", 5, T0.AddDays(30)), o);
        o = _projection.Apply(Q("PHQ-9", "start", 15, T0.AddDays(1)), o);
        o = _projection.Apply(Q("PHQ-9", "session", 9, T0.AddDays(10)), o);
        Assert.Equal((15m, 5m), (o.FirstPhq9, o.LastPhq9));
        Assert.True(o.CasenessAtStart);
        Assert.True(o.Recovered);
    }

    [Fact]
    public void A_follow_up_questionnaire_is_never_the_episodes_last_score()
    {
        var o = Received();
        o = _projection.Apply(Q("PHQ-9", "start", 15, T0.AddDays(1)), o);
        o = _projection.Apply(Q("PHQ-9", "end", 5, T0.AddDays(30)), o);
        o = _projection.Apply(Q("PHQ-9", "follow-up", 20, T0.AddDays(60)), o);
        Assert.Equal(5m, o.LastPhq9);
        Assert.Single(o.FollowUpScores);
    }

    [Fact]
    public void The_programme_is_that_of_the_practitioner_who_held_most_conversations()
    {
        var volunteer = Guid.CreateVersion7();
        var apprentice = Guid.CreateVersion7();
        var o = Received();
        o = _projection.Apply(new PractitionerAssigned(Participant, 1, volunteer, "volunteer", null, T0), o);
        o = _projection.Apply(Held(volunteer, T0.AddDays(1)), o);
        o = _projection.Apply(new PractitionerAssigned(Participant, 1, apprentice, "apprentice", volunteer, T0.AddDays(2)), o);
        o = _projection.Apply(Held(apprentice, T0.AddDays(3)), o);
        Assert.Equal("apprentice", o.Programme);   // a tie: the one who held the latest
        o = _projection.Apply(Held(apprentice, T0.AddDays(4)), o);
        Assert.Equal("apprentice", o.Programme);
        Assert.Equal(T0.AddDays(1), o.FirstConversationAt);
        Assert.True(o.Engaged);
    }

    [Fact]
    public void Swemwbs_change_uses_the_metric_and_the_meaningful_change_setting()
    {
        var o = Received();
        o = _projection.Apply(Q("SWEMWBS", "start", 19, T0.AddDays(1), metric: 17.98m), o);
        o = _projection.Apply(Q("SWEMWBS", "end", 21, T0.AddDays(30), metric: 19.98m), o);
        Assert.Equal(2.00m, o.SwemwbsChange);
        Assert.Equal("no-meaningful-change", o.WellbeingChange);
    }

    [Fact]
    public void Only_the_next_episodes_referral_within_twelve_months_of_the_end_marks_an_episode_returned()
    {
        var o = Received();
        o = _projection.Apply(new EpisodeEnded(Participant, Guid.Empty, 1, "goals-reached", null, 2, T0.AddMonths(2)), o);
        var late = _projection.Apply(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.Empty, "R", 2, "", [], null, 40, T0.AddMonths(15)), o);
        Assert.False(late.Returned);
        var soon = _projection.Apply(new ReferralReceived(Guid.CreateVersion7(), Participant, Guid.Empty, "R", 2, "", [], null, 40, T0.AddMonths(6)), o);
        Assert.True(soon.Returned);
        Assert.Equal(1, soon.EpisodeNumber);
    }

    [Fact]
    public void A_missed_check_in_counts_as_due_and_missed()
    {
        var o = Received();
        var end = T0.AddMonths(1);
        o = _projection.Apply(new EpisodeEnded(Participant, Guid.Empty, 1, "goals-reached", null, 2, end), o);
        o = _projection.Apply(new FollowUpsScheduled(Participant, 1, [1, 3], [end.AddMonths(1), end.AddMonths(3)], end, end), o);
        o = _projection.Apply(new FollowUpCheckInMissed(Participant, 1, 1, end.AddMonths(1), end.AddMonths(1).AddDays(15)), o);
        Assert.Equal((1, 1, 0), (o.FollowUpsDue, o.FollowUpsMissed, o.FollowUpsDone));
    }
}
