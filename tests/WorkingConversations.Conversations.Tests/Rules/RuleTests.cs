using System.Collections.Immutable;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Ending;
using WorkingConversations.Conversations.Practitioners;
using WorkingConversations.Conversations.Recording;
using WorkingConversations.Conversations.Safeguarding;
using WorkingConversations.Conversations.Scheduling;
using WorkingConversations.Conversations.Views;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Outcomes.Contracts;

namespace WorkingConversations.Conversations.Tests.Rules;

/// <summary>The pure rules behind the endpoints and handlers, without a host.</summary>
public sealed class RuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid ParticipantId = Guid.CreateVersion7();
    private static readonly Guid PractitionerId = Guid.CreateVersion7();
    private static readonly Guid ConversationId = Guid.CreateVersion7();

    private static ConversationsJourney Journey(bool scheduled = true, bool ended = false)
    {
        var journey = ConversationsJourney.Create(new EpisodeOpened(ParticipantId, Guid.CreateVersion7(), 1, Now))
            .Apply(new PractitionerAssigned(ParticipantId, 1, PractitionerId, "volunteer", null, Now));
        if (scheduled) journey = journey.Apply(new ConversationScheduled(ConversationId, ParticipantId, 1, PractitionerId, Now.AddDays(1), "phone", null, Now));
        return ended ? journey.Apply(new EpisodeEnded(ParticipantId, journey.Episode!.ReferralId, 1, "other", null, 0, Now)) : journey;
    }

    private static int? Status(Refusal? refusal) => refusal is null ? null : ProblemTypes.StatusOf(refusal.Type);

    [Fact]
    public void Ending_carries_the_referral_and_the_conversations_held_and_happens_once()
    {
        var journey = Journey().Apply(Given.HeldEvent(ConversationId, ParticipantId, PractitionerId));

        var (ended, _) = EndEpisode.Decide(journey, new EndEpisodeRequest("goals-reached", null), Now);

        Assert.Equal((journey.Episode!.ReferralId, 1, 1), (ended!.ReferralId, ended.EpisodeNumber, ended.ConversationsHeld));
        var (again, problem) = EndEpisode.Decide(journey.Apply(ended), new EndEpisodeRequest("other", null), Now);
        Assert.Null(again);
        Assert.Equal(409, Status(problem));
        Assert.Equal("ended", problem!.Extensions["episodeStatus"]);
    }

    [Theory]
    [InlineData("did-not-attend", true)]
    [InlineData("cancelled-by-participant", true)]
    [InlineData("cancelled-by-service", true)]
    [InlineData("Did-Not-Attend", false)]
    [InlineData(null, false)]
    public void A_missed_conversation_takes_one_of_three_reasons(string? reason, bool valid) =>
        Assert.Equal(valid, RecordMissedConversation.Validate(new RecordMissedConversationRequest(reason)).IsValid);

    [Fact]
    public void Only_a_scheduled_conversation_of_an_open_episode_can_be_missed()
    {
        Assert.NotNull(RecordMissedConversation.Decide(Journey(), ConversationId, "did-not-attend", Now).Result);
        Assert.Equal(404, Status(RecordMissedConversation.Decide(Journey(), Guid.CreateVersion7(), "did-not-attend", Now).Refusal));
        Assert.Equal(409, Status(RecordMissedConversation.Decide(Journey(ended: true), ConversationId, "did-not-attend", Now).Refusal));
        var missed = Journey().Apply(new ConversationMissed(ConversationId, ParticipantId, 1, PractitionerId, "did-not-attend", Now));
        Assert.Equal(409, Status(RecordMissedConversation.Decide(missed, ConversationId, "cancelled-by-service", Now).Refusal));
    }

    [Fact]
    public void Scheduling_on_an_ended_episode_is_a_conflict()
    {
        var (scheduled, problem) = ScheduleConversation.Decide(Journey(ended: true), new ScheduleConversationRequest(Now.AddDays(1), "phone", null), Guid.CreateVersion7(), Now);
        Assert.Null(scheduled);
        Assert.Equal(409, Status(problem));
    }

    [Fact]
    public void A_disclosed_risk_raises_a_concern_with_the_conversation_and_no_risk_raises_none()
    {
        var concernId = Guid.CreateVersion7();
        var ((held, concern), _) = RecordConversation.Decide(Journey(), ConversationId, Request(riskDisclosed: true), concernId, Now);
        Assert.NotNull(held);
        Assert.Equal((concernId, "conversation", ConversationId, 1), (concern!.ConcernId, concern.Source, concern.SourceId, concern.EpisodeNumber));

        var ((_, none), _) = RecordConversation.Decide(Journey(), ConversationId, Request(riskDisclosed: false), concernId, Now);
        Assert.Null(none);
        Assert.Equal(409, Status(RecordConversation.Decide(Journey(ended: true), ConversationId, Request(false), concernId, Now).Refusal));
    }

    [Fact]
    public void A_risk_message_raises_one_concern_per_questionnaire_even_before_the_episode_is_open_here()
    {
        var risk = new RiskIndicated(ParticipantId, 1, Guid.CreateVersion7(), "PHQ-9", Now);

        var first = RaiseConcernFromRisk.Decide(null, risk, Guid.CreateVersion7());
        Assert.NotNull(first);
        var journey = ConversationsJourney.Create(first);
        Assert.Null(RaiseConcernFromRisk.Decide(journey, risk, Guid.CreateVersion7()));
        Assert.NotNull(RaiseConcernFromRisk.Decide(journey, risk with { QuestionnaireId = Guid.CreateVersion7() }, Guid.CreateVersion7()));
        // The episode opened afterwards keeps the concern.
        Assert.Equal(1, journey.Apply(new EpisodeOpened(ParticipantId, Guid.CreateVersion7(), 1, Now)).OpenConcerns);
    }

    [Fact]
    public void A_concern_is_acknowledged_once()
    {
        var raised = new SafeguardingConcernRaised(Guid.CreateVersion7(), ParticipantId, 1, "questionnaire", Guid.CreateVersion7(), "risk", Now);
        var journey = Journey().Apply(raised);

        var (acknowledged, _) = AcknowledgeConcern.Decide(journey, raised.ConcernId, "Called", Now);
        Assert.NotNull(acknowledged);
        var after = journey.Apply(acknowledged);
        Assert.Equal(0, after.OpenConcerns);
        var (again, problem) = AcknowledgeConcern.Decide(after, raised.ConcernId, "Called again", Now);
        Assert.Null(again);
        Assert.Equal("acknowledged", problem!.Extensions["concernStatus"]);
        Assert.Equal(404, Status(AcknowledgeConcern.Decide(journey, Guid.CreateVersion7(), "x", Now).Refusal));
    }

    [Fact]
    public void Assigning_refuses_an_ended_episode_a_suspended_practitioner_and_a_full_one()
    {
        var cleared = new Practitioner(PractitionerId, "volunteer", 2, PractitionerStatuses.Cleared, Now);
        var journey = ConversationsJourney.Create(new EpisodeOpened(ParticipantId, Guid.CreateVersion7(), 1, Now));

        Assert.NotNull(AssignPractitioner.Decide(journey, cleared, 1, Now).Result);
        Assert.Equal(409, Status(AssignPractitioner.Decide(journey, cleared, 2, Now).Refusal));
        Assert.Equal("suspended", AssignPractitioner.Decide(journey, cleared with { Status = PractitionerStatuses.Suspended }, 0, Now).Refusal!.Extensions["practitionerStatus"]);
        var ended = journey.Apply(new EpisodeEnded(ParticipantId, journey.Episode!.ReferralId, 1, "other", null, 0, Now));
        Assert.Equal("ended", AssignPractitioner.Decide(ended, cleared, 0, Now).Refusal!.Extensions["episodeStatus"]);
    }

    [Fact]
    public void A_caseload_shows_the_earliest_unrecorded_conversation_and_whole_days_since_the_last_held_one()
    {
        var practitioner = new Practitioner(PractitionerId, "apprentice", 3, PractitionerStatuses.Cleared, Now);
        var other = Guid.CreateVersion7();
        var assignments = new[]
        {
            new CaseAssignment(ParticipantId, PractitionerId, 1, true, Now.AddDays(-30)),
            new CaseAssignment(other, PractitionerId, 1, true, Now.AddDays(-2)),
            new CaseAssignment(Guid.CreateVersion7(), PractitionerId, 1, false, Now.AddDays(-60)),
        };
        var conversations = new[]
        {
            Summary(ParticipantId, Now.AddDays(-10), ConversationStatuses.Held, heldAt: Now.AddDays(-9).AddHours(-3)),
            Summary(ParticipantId, Now.AddDays(-3), ConversationStatuses.Held, heldAt: Now.AddDays(-2).AddHours(-1)),
            Summary(ParticipantId, Now.AddDays(5), ConversationStatuses.Scheduled),
            Summary(ParticipantId, Now.AddDays(-1), ConversationStatuses.Scheduled),
            Summary(ParticipantId, Now.AddDays(1), ConversationStatuses.Missed),
        };

        var caseload = GetCaseload.Build(practitioner, assignments, conversations, Now);

        Assert.Equal(2, caseload.ActiveParticipants);
        // Never seen comes first: the participant who has waited longest for contact.
        Assert.Equal([other, ParticipantId], caseload.Participants.Select(p => p.ParticipantId));
        var seen = caseload.Participants[1];
        Assert.Equal((2, 2), (seen.DaysSinceLastContact, seen.ConversationsHeld));
        Assert.Equal((Now.AddDays(-1), true), (seen.NextConversation!.ScheduledFor, seen.NextConversation.Overdue));
        Assert.Null(caseload.Participants[0].DaysSinceLastContact);
    }

    [Fact]
    public void Only_open_participants_of_practitioners_who_may_no_longer_practise_need_reassignment()
    {
        var withdrawn = new Practitioner(Guid.CreateVersion7(), "volunteer", 3, PractitionerStatuses.Withdrawn, Now);
        var cleared = new Practitioner(Guid.CreateVersion7(), "volunteer", 3, PractitionerStatuses.Cleared, Now);
        var open = new CaseAssignment(Guid.CreateVersion7(), withdrawn.Id, 1, true, Now);
        var ended = new CaseAssignment(Guid.CreateVersion7(), withdrawn.Id, 1, false, Now);
        var fine = new CaseAssignment(Guid.CreateVersion7(), cleared.Id, 1, true, Now);

        var waiting = Assert.Single(NeedsReassignment.Select([withdrawn, cleared], [open, ended, fine]));
        Assert.Equal((open.Id, "withdrawn"), (waiting.ParticipantId, waiting.PractitionerStatus));
    }

    [Fact]
    public void The_conversation_list_folds_each_conversation_to_its_latest_state_earliest_first()
    {
        var later = new ConversationScheduled(Guid.CreateVersion7(), ParticipantId, 1, PractitionerId, Now.AddDays(7), "video", "Library", Now);
        var earlier = new ConversationScheduled(Guid.CreateVersion7(), ParticipantId, 1, PractitionerId, Now.AddDays(1), "phone", null, Now);

        var items = ListConversations.Fold([later, earlier, Given.HeldEvent(earlier.ConversationId, ParticipantId, PractitionerId),
            new ConversationMissed(later.ConversationId, ParticipantId, 1, PractitionerId, "cancelled-by-service", Now)]);

        Assert.Equal([(earlier.ConversationId, "held"), (later.ConversationId, "missed")], items.Select(i => (i.ConversationId, i.Status)));
        Assert.Equal("Feel settled at home", items[0].BestHopes);
        Assert.Equal("cancelled-by-service", items[1].MissedReason);
    }

    private static ConversationSummary Summary(Guid participant, DateTimeOffset scheduledFor, string status, DateTimeOffset? heldAt = null) =>
        new(Guid.CreateVersion7(), participant, 1, PractitionerId, scheduledFor, "phone", status, scheduledFor.AddDays(-7), heldAt, null, null, null, null);

    private static RecordConversationRequest Request(bool riskDisclosed) =>
        new(true, "hopes", [], 5, "exceptions", "one point up", null, null, riskDisclosed, 30);
}
