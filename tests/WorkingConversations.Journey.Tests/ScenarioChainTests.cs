using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

/// <summary>The shared chain the tests build journeys with walks a participant the whole way, every step in the journey.</summary>
[Collection(JourneyCollection.Name)]
public sealed class ScenarioChainTests(ServiceFixture service)
{
    [Fact]
    public async Task Referred_accepted_assigned_in_conversation_ended_and_followed_up_leaves_each_step_in_the_journey()
    {
        var scenario = new Scenario(service);

        var participant = await scenario.Referred().Accepted().Assigned().InConversation().Ended().FollowedUp();

        var caseworker = await scenario.Caseworker();
        var state = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{participant.ParticipantId}");
        var episode = Assert.Single(state.GetProperty("episodes").EnumerateArray());
        Assert.Equal(("ended", participant.PractitionerId, 1), (episode.GetProperty("status").GetString(), episode.GetProperty("practitionerId").GetGuid(),
            episode.GetProperty("conversationsHeld").GetInt32()));
        var history = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{participant.ParticipantId}/history?order=asc");
        Assert.Equal(
            ["referral-received", "referral-accepted", "episode-opened", "practitioner-assigned", "conversation-scheduled", "conversation-held",
                "episode-ended", "follow-ups-scheduled", "questionnaire-recorded"],
            history.Types());
    }
}
