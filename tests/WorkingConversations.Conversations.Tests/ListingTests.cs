using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class ListingTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_participants_conversations_are_listed_earliest_first_with_the_record_of_each_held_one()
    {
        var (participantId, _, practitionerId, practitioner) = await _given.AssignedParticipant();
        var later = await Given.Schedule(practitioner, participantId, service.Clock.GetUtcNow().AddDays(14));
        var earlier = await Given.Schedule(practitioner, participantId, service.Clock.GetUtcNow().AddDays(7), mode: "in-person");
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, earlier, scale: 6)).StatusCode);

        var page = await Given.Json(await practitioner.GetAsync($"/api/v1/participants/{participantId}/conversations?limit=1"), HttpStatusCode.OK);
        var first = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal((earlier, "held", 6, "Feel settled at home", practitionerId),
            (first.GetProperty("conversationId").GetGuid(), first.GetProperty("status").GetString(), first.GetProperty("scale").GetInt32(),
             first.GetProperty("bestHopes").GetString(), first.GetProperty("practitionerId").GetGuid()));
        var cursor = page.GetProperty("nextCursor").GetString();
        var rest = await Given.Json(await practitioner.GetAsync($"/api/v1/participants/{participantId}/conversations?limit=1&cursor={cursor}"), HttpStatusCode.OK);
        var second = Assert.Single(rest.GetProperty("items").EnumerateArray());
        Assert.Equal((later, "scheduled"), (second.GetProperty("conversationId").GetGuid(), second.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("bestHopes").ValueKind);
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task The_location_of_a_scheduled_conversation_leads_to_it_for_its_practitioner_and_caseworkers_only()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var (_, _, _, stranger) = await _given.AssignedParticipant();

        var scheduled = await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations",
            new { scheduledFor = service.Clock.GetUtcNow().AddDays(3), mode = "in-person", location = "Community centre, room 2" });
        var location = scheduled.Headers.Location!.ToString();

        var conversation = await Given.Json(await practitioner.GetAsync(location), HttpStatusCode.OK);
        Assert.Equal(("scheduled", "Community centre, room 2"), (conversation.GetProperty("status").GetString(), conversation.GetProperty("location").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await (await _given.Caseworker()).GetAsync(location)).StatusCode);
        await Given.Problem(await stranger.GetAsync(location), HttpStatusCode.NotFound);
        await Given.Problem(await practitioner.GetAsync($"/api/v1/conversations/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_conversation_routes_and_their_problems()
    {
        var document = JsonDocument.Parse(await service.ClientWithKey(null).GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths");

        foreach (var (path, method, statuses) in new[]
                 {
                     ("/api/v1/conversations/{id}/missed", "post", new[] { "200", "400", "404", "409" }),
                     ("/api/v1/participants/{id}/end", "post", ["200", "400", "404", "409"]),
                     ("/api/v1/safeguarding/concerns", "get", ["200", "400"]),
                     ("/api/v1/safeguarding/concerns/{id}/acknowledge", "post", ["200", "404", "409"]),
                     ("/api/v1/practitioners/needs-reassignment", "get", ["200"]),
                     ("/api/v1/practitioners/{id}/caseload", "get", ["200", "404"]),
                     ("/api/v1/participants/{id}/conversations", "get", ["200", "404"]),
                 })
        {
            var responses = paths.GetProperty(path).GetProperty(method).GetProperty("responses");
            Assert.All(statuses, s => Assert.True(responses.TryGetProperty(s, out _), $"{method} {path} does not document {s}"));
        }
    }
}
