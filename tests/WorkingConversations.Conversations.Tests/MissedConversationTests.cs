using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class MissedConversationTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_missed_conversation_is_listed_with_its_reason_and_cannot_then_be_recorded_or_missed_again()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var conversation = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));

        var missed = await Given.Json(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversation}/missed",
            new { reason = "cancelled-by-participant" }), HttpStatusCode.OK);
        Assert.Equal("missed", missed.GetProperty("status").GetString());

        var item = Assert.Single(await Given.Items(practitioner, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal(("missed", "cancelled-by-participant"), (item.GetProperty("status").GetString(), item.GetProperty("missedReason").GetString()));
        Assert.Equal("missed", (await Given.Problem(await Given.Record(practitioner, conversation), HttpStatusCode.Conflict)).GetProperty("conversationStatus").GetString());
        Assert.Equal("missed", (await Given.Problem(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversation}/missed",
            new { reason = "did-not-attend" }), HttpStatusCode.Conflict)).GetProperty("conversationStatus").GetString());

        // The episode goes on: the next conversation can still be held.
        var next = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(7));
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, next)).StatusCode);
        var history = await Given.Items(await _given.Caseworker(), $"/api/v1/participants/{participantId}/history?type=conversation-missed");
        Assert.Contains("cancelled-by-participant", Assert.Single(history).GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missed_conversation_needs_one_of_the_known_reasons()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var conversation = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));

        var problem = await Given.Problem(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversation}/missed", new { reason = "rain" }), HttpStatusCode.BadRequest);

        Assert.Contains("did-not-attend", problem.GetProperty("errors").GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
        var item = Assert.Single(await Given.Items(practitioner, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal("scheduled", item.GetProperty("status").GetString());
    }
}
