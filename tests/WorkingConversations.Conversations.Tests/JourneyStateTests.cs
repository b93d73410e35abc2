using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class JourneyStateTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task The_journey_state_shows_the_practitioner_the_conversations_and_open_concerns_until_acknowledged()
    {
        var (participantId, _, practitionerId, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();
        var held = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));
        var missed = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(8));
        var concernId = (await Given.Json(await Given.Record(practitioner, held, riskDisclosed: true), HttpStatusCode.OK)).GetProperty("safeguardingConcernId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await practitioner.PostAsJsonAsync($"/api/v1/conversations/{missed}/missed", new { reason = "did-not-attend" })).StatusCode);

        var episode = await Episode(caseworker, participantId);
        Assert.Equal(practitionerId, episode.GetProperty("practitionerId").GetGuid());
        Assert.Equal((1, 1, 1), (episode.GetProperty("conversationsHeld").GetInt32(), episode.GetProperty("conversationsMissed").GetInt32(),
            episode.GetProperty("openSafeguardingConcerns").GetInt32()));

        Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concernId}/acknowledge", new { actionTaken = "Spoke to GP" })).StatusCode);
        Assert.Equal(0, (await Episode(caseworker, participantId)).GetProperty("openSafeguardingConcerns").GetInt32());
    }

    private static async Task<JsonElement> Episode(HttpClient client, Guid participantId) =>
        Assert.Single((await Given.Json(await client.GetAsync($"/api/v1/participants/{participantId}"), HttpStatusCode.OK)).GetProperty("episodes").EnumerateArray());
}
