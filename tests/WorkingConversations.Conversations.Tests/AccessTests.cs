using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class AccessTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_practitioner_cannot_read_or_write_another_practitioners_participant()
    {
        var (participantId, _, holder, holderClient) = await _given.AssignedParticipant();
        var conversation = await Given.Schedule(holderClient, participantId, DateTimeOffset.UtcNow.AddDays(1));
        var (_, _, _, stranger) = await _given.AssignedParticipant();

        foreach (var attempt in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => stranger.GetAsync($"/api/v1/participants/{participantId}/conversations"),
                     () => stranger.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations", new { scheduledFor = DateTimeOffset.UtcNow.AddDays(2), mode = "phone" }),
                     () => Given.Record(stranger, conversation),
                     () => stranger.PostAsJsonAsync($"/api/v1/conversations/{conversation}/missed", new { reason = "did-not-attend" }),
                     () => stranger.PostAsJsonAsync($"/api/v1/participants/{participantId}/end", new { reason = "other" }),
                     () => stranger.GetAsync($"/api/v1/practitioners/{holder}/caseload"),
                 })
        {
            await Given.Problem(await attempt(), HttpStatusCode.NotFound);
        }

        var item = Assert.Single(await Given.Items(holderClient, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal("scheduled", item.GetProperty("status").GetString());
        Assert.Single((await Given.Json(await holderClient.GetAsync($"/api/v1/practitioners/{holder}/caseload"), HttpStatusCode.OK)).GetProperty("participants").EnumerateArray());
    }

    [Fact]
    public async Task Practitioners_cannot_use_the_caseworkers_routes()
    {
        var (participantId, _, practitionerId, practitioner) = await _given.AssignedParticipant();

        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync("/api/v1/practitioners/needs-reassignment")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync("/api/v1/safeguarding/concerns?status=open")).StatusCode);
    }
}
