using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Journey.ReadingState;
using WorkingConversations.Conversations;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Referrals;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Journey.Tests;

/// <summary>The fold behind the journey state, with the parts the modules really register, and no database.</summary>
public sealed class JourneyStateFoldTests
{
    private static readonly Guid Participant = Guid.CreateVersion7();
    private static readonly Guid Partner = Guid.CreateVersion7();
    private static readonly Guid Practitioner = Guid.CreateVersion7();
    private static readonly DateTimeOffset At = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static JourneyCatalog Catalog()
    {
        var catalog = new JourneyCatalog();
        new JourneyModule().DescribeJourney(catalog);
        new ReferralsModule().DescribeJourney(catalog);
        new ConversationsModule().DescribeJourney(catalog);
        new OutcomesModule().DescribeJourney(catalog);
        return catalog;
    }

    [Fact]
    public void Each_episode_merges_every_modules_part_and_a_new_episode_starts_from_empty_parts()
    {
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();
        var concern = Guid.CreateVersion7();
        object[] events =
        [
            Received(first, 1),
            new ReferralAccepted(first, Participant, Partner, 1, At),
            new EpisodeOpened(Participant, first, 1, At),
            new PractitionerAssigned(Participant, 1, Practitioner, "volunteer", null, At),
            Held(first, 1), Held(first, 1),
            new ConversationMissed(Guid.CreateVersion7(), Participant, 1, Practitioner, "did-not-attend", At),
            new SafeguardingConcernRaised(concern, Participant, 1, "conversation", Guid.CreateVersion7(), "text", At),
            new SafeguardingConcernRaised(Guid.CreateVersion7(), Participant, 1, "questionnaire", Guid.CreateVersion7(), "text", At),
            new SafeguardingConcernAcknowledged(concern, Participant, 1, "called", At),
            Questionnaire(1, "PHQ-9", 14), Questionnaire(1, "GAD-7", 9), Questionnaire(1, "PHQ-9", 8), Questionnaire(1, "ONS4", null),
            new EpisodeEnded(Participant, first, 1, "goals-reached", null, 2, At),
            Received(second, 2),
        ];

        var episodes = JourneyState.Fold(Catalog(), events);

        Assert.Equal(2, episodes.Count);
        var one = episodes[0];
        Assert.Equal(1, (int)one["episodeNumber"]!);
        Assert.Equal(first, one["referralId"]!.GetValue<Guid>());
        Assert.Equal(Partner, one["partnerId"]!.GetValue<Guid>());
        Assert.Equal("ended", (string)one["status"]!);
        Assert.Equal(Practitioner, one["practitionerId"]!.GetValue<Guid>());
        Assert.Equal(2, (int)one["conversationsHeld"]!);
        Assert.Equal(1, (int)one["conversationsMissed"]!);
        Assert.Equal(1, (int)one["openSafeguardingConcerns"]!);
        Assert.Equal(["GAD-7", "PHQ-9"], one["latestScores"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(8m, (decimal)one["latestScores"]!["PHQ-9"]!);
        Assert.False(one.ContainsKey("openConcerns"));

        var two = episodes[1];
        Assert.Equal(2, (int)two["episodeNumber"]!);
        Assert.Equal("received", (string)two["status"]!);
        Assert.Null(two["practitionerId"]);
        Assert.Equal(0, (int)two["conversationsHeld"]!);
        Assert.Empty(two["latestScores"]!.AsObject());
    }

    [Fact]
    public void A_referral_attached_to_an_open_episode_never_changes_that_episodes_referral_or_status()
    {
        var own = Guid.CreateVersion7();
        var attached = Guid.CreateVersion7();
        object[] events =
        [
            Received(own, 1),
            new ReferralAccepted(own, Participant, Partner, 1, At),
            new ReferralAttachedToOpenEpisode(attached, Participant, Guid.CreateVersion7(), "OTHER-1", 1, "text", At),
            new ReferralDeclined(attached, Participant, Partner, 1, "already open", null, At),
        ];

        var episode = Assert.Single(JourneyState.Fold(Catalog(), events));
        Assert.Equal(own, episode["referralId"]!.GetValue<Guid>());
        Assert.Equal("accepted", (string)episode["status"]!);
    }

    [Fact]
    public void The_practitioner_who_holds_a_participant_is_decided_by_the_latest_assignment_event()
    {
        var catalog = Catalog();
        Assert.Equal(Practitioner, catalog.PractitionerDecidedBy(new PractitionerAssigned(Participant, 1, Practitioner, "volunteer", null, At)));
        Assert.Null(catalog.PractitionerDecidedBy(new EpisodeOpened(Participant, Guid.CreateVersion7(), 2, At)));
        Assert.Contains("practitioner-assigned", catalog.AssignmentEventNames);
    }

    private static ReferralReceived Received(Guid referralId, int episode) =>
        new(referralId, Participant, Partner, $"REF-{episode}", episode, "text", [], "phone", 30, At);

    private static ConversationHeld Held(Guid referralId, int episode) =>
        new(Guid.CreateVersion7(), Participant, referralId, episode, Practitioner, "hopes", [], 5, "exceptions", "one point up", null, null, false, 40, At);

    private static QuestionnaireRecorded Questionnaire(int episode, string instrument, decimal? total) =>
        new(Guid.CreateVersion7(), Participant, episode, instrument, "session", [], total, null, null, null, null, At, At);
}
